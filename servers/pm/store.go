package pm

import (
	"slices"
	"strings"
	"sync"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Store keeps pm's process table where it outlives pm: a restarted pm
// reads it back on its first request. Keys are strings under "pm/"; values
// are opaque bytes. Each method gets the Sys of the request being served,
// so that a store backed by a server can make its calls with it.
//
// MemStore is the implementation: boot keeps one per system, in mkos's
// memory, for every pm of that system, and a pm in a host process reaches
// it through host requests in its window (boot/process_table.go). The
// table is deliberately not in the data store: a pm that dies while ds is
// down would lose the changes it could not write there.
type Store interface {
	// Get returns the value at key; ENOENT when there is none.
	Get(sys ipc.Sys, key string) ([]byte, error)
	// Put sets the value at key.
	Put(sys ipc.Sys, key string, value []byte) error
	// Delete removes key; removing a missing key is not an error.
	Delete(sys ipc.Sys, key string) error
	// List returns the keys that start with prefix, in sorted order.
	List(sys ipc.Sys, prefix string) ([]string, error)
}

// MemStore is a Store in Go memory. It survives a restart of pm when the
// restarted pm is given the same MemStore, as boot's constructor of pm
// does. It may be shared by a pm and its successor.
type MemStore struct {
	mu sync.Mutex
	m  map[string][]byte
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{m: map[string][]byte{}} }

// Get implements Store.
func (s *MemStore) Get(_ ipc.Sys, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	if !ok {
		return nil, linux.ENOENT
	}
	return slices.Clone(v), nil
}

// Put implements Store.
func (s *MemStore) Put(_ ipc.Sys, key string, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = slices.Clone(value)
	return nil
}

// Delete implements Store.
func (s *MemStore) Delete(_ ipc.Sys, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}

// List implements Store.
func (s *MemStore) List(_ ipc.Sys, prefix string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k := range s.m {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys, nil
}
