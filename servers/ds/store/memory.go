package store

import (
	"slices"
	"strings"
	"sync"
)

// Memory is the in-memory backend: a table of entries kept sorted by key,
// so that Scan walks it in order and nothing depends on map iteration.
// Lookups are binary searches; inserts move the tail of the table, which
// is cheap at the sizes a teaching system holds.
type Memory struct {
	mu      sync.Mutex // protects everything below
	entries []entry    // sorted by key, no duplicates
	closed  bool
}

type entry struct {
	key   string
	value []byte
}

// NewMemory returns an empty memory store.
func NewMemory() *Memory { return &Memory{} }

// find returns the index of key, or where it would go, and whether it is
// there.
func (m *Memory) find(key string) (int, bool) {
	return slices.BinarySearchFunc(m.entries, key, func(e entry, k string) int {
		return strings.Compare(e.key, k)
	})
}

// Get returns a copy of key's value.
func (m *Memory) Get(key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	i, ok := m.find(key)
	if !ok {
		return nil, ErrNotFound
	}
	return slices.Clone(m.entries[i].value), nil
}

// Put stores a copy of value under key.
func (m *Memory) Put(key string, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	v := append([]byte{}, value...)
	i, ok := m.find(key)
	if ok {
		m.entries[i].value = v
		return nil
	}
	m.entries = slices.Insert(m.entries, i, entry{key: key, value: v})
	return nil
}

// Delete removes key.
func (m *Memory) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	i, ok := m.find(key)
	if !ok {
		return ErrNotFound
	}
	m.entries = slices.Delete(m.entries, i, i+1)
	return nil
}

// Scan walks the keys under prefix that sort after `after`, in order.
func (m *Memory) Scan(prefix, after string, fn func(key string) bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	i, _ := m.find(prefix)
	if after >= prefix {
		j, found := m.find(after)
		if found {
			j++
		}
		i = max(i, j)
	}
	for ; i < len(m.entries) && strings.HasPrefix(m.entries[i].key, prefix); i++ {
		if !fn(m.entries[i].key) {
			break
		}
	}
	return nil
}

// Close empties the store and fails every later call.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries, m.closed = nil, true
	return nil
}

// Len returns the number of keys stored.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}
