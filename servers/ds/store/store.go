package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Store is a data store backend: an ordered map from non-empty keys to
// values. Implementations are safe for use by several goroutines. The ds
// server checks keys and values against the protocol's limits; a backend
// takes any non-empty key.
type Store interface {
	// Get returns a copy of the value stored under key, or ErrNotFound.
	Get(key string) ([]byte, error)
	// Put stores a copy of value under key, replacing any value it had.
	// When Put returns, the value is as durable as the backend makes it.
	Put(key string, value []byte) error
	// Delete removes key, or returns ErrNotFound.
	Delete(key string) error
	// Scan calls fn for each key that starts with prefix and sorts after
	// `after` (every such key, when after is empty), in byte order, until
	// fn returns false. fn must not call the Store.
	Scan(prefix, after string, fn func(key string) bool) error
	// Close releases the backend; every later call fails with ErrClosed.
	Close() error
}

// BoltFile is the name of the file store's file in its data directory.
const BoltFile = "ds.db"

// Errors a backend returns; any other error is the medium failing.
var (
	ErrNotFound = errors.New("store: no such key")
	ErrClosed   = errors.New("store: closed")
	// ErrNoFileStore: the file store does not exist on this host (in the
	// browser, js/wasm, where bbolt does not build); the memory store is the
	// data store there.
	ErrNoFileStore = errors.New("the file store (bbolt, data_dir) is not available in the browser (js/wasm): leave data_dir unset to use the memory store")
	// ErrNoRedis: the Redis store does not exist on this host (in the
	// browser, js/wasm, which has no sockets to reach a server).
	ErrNoRedis = errors.New("the Redis store (ds: {backend: redis}) is not available in the browser (js/wasm): use the memory store")
)

// Backends maps a backend's name to its constructor. dir is the data
// directory; the memory backend ignores it. The Redis store takes a
// server's address instead of a directory: OpenRedis opens it.
var Backends = map[string]func(dir string) (Store, error){
	"memory": func(string) (Store, error) { return NewMemory(), nil },
	"bolt": func(dir string) (Store, error) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		b, err := OpenBolt(filepath.Join(dir, BoltFile))
		if err != nil {
			return nil, err // not a Store holding a nil *Bolt
		}
		return b, nil
	},
}

// Names returns the backend names in sorted order.
func Names() []string {
	names := make([]string, 0, len(Backends))
	for n := range Backends {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Open returns the default backend for a data directory: the file store
// in dir, or a new memory store when dir is empty.
func Open(dir string) (Store, error) {
	if dir == "" {
		return NewMemory(), nil
	}
	return OpenNamed("bolt", dir)
}

// OpenNamed returns the named backend on data directory dir.
func OpenNamed(name, dir string) (Store, error) {
	open, ok := Backends[name]
	if !ok {
		return nil, fmt.Errorf("store: %q is not one of %v", name, Names())
	}
	return open(dir)
}
