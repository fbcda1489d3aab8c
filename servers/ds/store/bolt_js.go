//go:build js

package store

// FileStore reports whether the file store (bbolt) exists on this host.
const FileStore = false

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
