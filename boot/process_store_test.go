package boot

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/servers/ds/store"
)

// overWindow is a remoteStore whose host requests reach serveStore at
// once, as the proxy would answer them.
func overWindow(st store.Store) remoteStore {
	serve := serveStore(st)
	return remoteStore{host: func(req []byte) ([]byte, error) { return serve(req), nil }}
}

func TestRemoteStoreIsTheParentsStore(t *testing.T) {
	parent := store.NewMemory()
	rs := overWindow(parent)
	require.NoError(t, rs.Put("a", []byte("1")))
	require.NoError(t, rs.Put("empty", nil))
	v, err := parent.Get("a")
	require.NoError(t, err)
	assert.Equal(t, "1", string(v), "the parent's Get(a) after the process's Put")
	v, err = rs.Get("empty")
	require.NoError(t, err)
	assert.Empty(t, v, "Get(empty)")
	_, err = rs.Get("nope")
	assert.ErrorIs(t, err, store.ErrNotFound, "Get(nope)")
	assert.ErrorIs(t, rs.Delete("nope"), store.ErrNotFound, "Delete(nope)")
	require.NoError(t, rs.Delete("a"))
	_, err = parent.Get("a")
	assert.ErrorIs(t, err, store.ErrNotFound, "the parent's Get(a) after the process's Delete")
	require.NoError(t, rs.Close())
	require.NoError(t, rs.Put("b", []byte("2")), "Put after the process's Close: the parent owns the store")
	require.NoError(t, parent.Close())
	assert.ErrorIs(t, rs.Put("c", nil), store.ErrClosed, "Put after the parent's Close")
}

// TestRemoteStoreScanPages lists more keys than one answer carries: the
// process asks again after the last key, and sees every key once, in
// order; a callback that stops ends the scan.
func TestRemoteStoreScanPages(t *testing.T) {
	parent := store.NewMemory()
	const n = 3000 // 3000 keys of ~100 bytes: several 64 KiB answers
	var want []string
	for i := range n {
		k := fmt.Sprintf("p/%04d/%090d", i, i)
		want = append(want, k)
		require.NoError(t, parent.Put(k, nil))
	}
	require.NoError(t, parent.Put("q/other", nil))
	rs := overWindow(parent)
	var got []string
	require.NoError(t, rs.Scan("p/", "", func(k string) bool { got = append(got, k); return true }))
	assert.Equal(t, want, got, "Scan(p/)")
	got = nil
	require.NoError(t, rs.Scan("p/", want[10], func(k string) bool { got = append(got, k); return len(got) < 5 }))
	assert.Equal(t, want[11:16], got, "Scan(p/, after the 11th) stopped after 5")
}

// TestServeStoreHostileRequests: whatever a (broken or hostile) ds process
// sends, the parent's side answers with an error and changes nothing.
func TestServeStoreHostileRequests(t *testing.T) {
	for _, c := range []struct {
		name string
		req  []byte
	}{
		{"empty", nil},
		{"unknown op", []byte{99, 1, 'k'}},
		{"get without a key", []byte{storeGet}},
		{"put with an empty key", []byte{storePut, 0, 1, 'v'}},
		{"put without a value", []byte{storePut, 1, 'k'}},
		{"key longer than the request", []byte{storePut, 0xff, 0xff, 0x03, 'k'}},
		{"length overflow", []byte{storeGet, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{"scan without after", []byte{storeScan, 1, 'p'}},
	} {
		t.Run(c.name, func(t *testing.T) {
			parent := store.NewMemory()
			a := serveStore(parent)(c.req)
			require.NotEmpty(t, a)
			assert.Equal(t, storeFailed, a[0], "answer's status")
			n := 0
			require.NoError(t, parent.Scan("", "", func(string) bool { n++; return true }))
			assert.Zero(t, n, "keys in the store after the request")
		})
	}
}

// TestRemoteStoreBadAnswers: answers a store could not have given are
// errors, never a panic or a wrong value.
func TestRemoteStoreBadAnswers(t *testing.T) {
	for _, c := range []struct {
		name   string
		answer []byte
		err    error
	}{
		{"empty", nil, nil},
		{"failed", append([]byte{storeFailed}, "disk on fire"...), nil},
		{"unknown status", []byte{7}, nil},
		{"host gone", nil, errors.New("proxy gone")},
	} {
		t.Run(c.name, func(t *testing.T) {
			rs := remoteStore{host: func([]byte) ([]byte, error) { return c.answer, c.err }}
			_, err := rs.Get("k")
			assert.Error(t, err, "Get")
			assert.NotErrorIs(t, err, store.ErrNotFound, "Get")
			assert.Error(t, rs.Scan("", "", func(string) bool { return true }), "Scan")
		})
	}
	rs := remoteStore{host: func([]byte) ([]byte, error) { return []byte{storeOK, 1, 0xff}, nil }}
	assert.Error(t, rs.Scan("", "", func(string) bool { return true }), "Scan of a key longer than its answer")
}

func FuzzServeStore(f *testing.F) {
	f.Add([]byte{storePut, 1, 'k', 1, 'v'})
	f.Add([]byte{storeScan, 0, 0})
	f.Add([]byte{storeGet, 1, 'k'})
	f.Fuzz(func(t *testing.T, req []byte) {
		parent := store.NewMemory()
		_ = parent.Put("k", []byte("v"))
		a := serveStore(parent)(req)
		if len(a) == 0 {
			t.Fatalf("serveStore(%x) answered nothing", req)
		}
	})
}
