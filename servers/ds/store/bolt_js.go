//go:build js

package store

import "errors"

// ErrNoFileStore is OpenBolt's error in the browser: bbolt does not build
// for js/wasm, and the memory store is the data store there.
var ErrNoFileStore = errors.New("the file store (bbolt, data_dir) is not available in the browser (js/wasm): leave data_dir unset to use the memory store")

// Bolt stands for the file store where bbolt does not build; none is ever
// opened.
type Bolt struct {
	Store
	path string
}

// OpenBolt fails with ErrNoFileStore.
func OpenBolt(path string) (*Bolt, error) { return nil, ErrNoFileStore }

// Path returns the path the store would have had.
func (b *Bolt) Path() string { return b.path }
