package boot

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/ds/store"
	"github.com/mkos/mkos/servers/pm"
)

// pm in a process: its process table stays with mkos, the parent, in the
// same pm.MemStore a pm task keeps it in (kept.pmStore), and outlives each
// pm process as it outlives each pm task. The process reaches it only
// through its window, with the store requests of process_store.go:
// tableHost, in the proxy, makes the MemStore a store.Store for
// serveStore to answer from; remoteTable, in the process, is pm's Store
// over a remoteStore. A write is done in the parent when pm's request
// returns, so a pm process that dies loses nothing it wrote, whatever
// else is down at the time.

// tableHost is the store.Store serveStore answers a pm process from: the
// kept table, seen as the data store's backend interface.
type tableHost struct{ t *pm.MemStore }

// Get implements store.Store.
func (h tableHost) Get(key string) ([]byte, error) {
	v, err := h.t.Get(nil, key)
	if errors.Is(err, linux.ENOENT) {
		return nil, store.ErrNotFound
	}
	return v, err
}

// Put implements store.Store.
func (h tableHost) Put(key string, value []byte) error { return h.t.Put(nil, key, value) }

// Delete implements store.Store; removing a missing key is not an error
// here, as in pm's Store.
func (h tableHost) Delete(key string) error { return h.t.Delete(nil, key) }

// Scan implements store.Store.
func (h tableHost) Scan(prefix, after string, fn func(key string) bool) error {
	keys, err := h.t.List(nil, prefix)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k > after && !fn(k) {
			return nil
		}
	}
	return nil
}

// Close does nothing: the table lives as long as the system.
func (h tableHost) Close() error { return nil }

// remoteTable is the pm.Store of a pm process: the parent's table,
// through host requests. A request that fails (its answer lost with a
// proxy that is ending) is an error pm's flush keeps the record dirty
// for.
type remoteTable struct{ st store.Store }

// Get implements pm.Store.
func (r remoteTable) Get(_ ipc.Sys, key string) ([]byte, error) {
	v, err := r.st.Get(key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, linux.ENOENT
	}
	return v, err
}

// Put implements pm.Store.
func (r remoteTable) Put(_ ipc.Sys, key string, value []byte) error { return r.st.Put(key, value) }

// Delete implements pm.Store.
func (r remoteTable) Delete(_ ipc.Sys, key string) error {
	if err := r.st.Delete(key); !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// List implements pm.Store.
func (r remoteTable) List(_ ipc.Sys, prefix string) ([]string, error) {
	var keys []string
	err := r.st.Scan(prefix, "", func(key string) bool {
		keys = append(keys, key)
		return true
	})
	return keys, err
}

var (
	_ store.Store = tableHost{}
	_ pm.Store    = remoteTable{}
)
