package store_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/servers/ds/store"
)

// backends are the stores every conformance case runs against: each opens
// a fresh, empty store that the case owns.
var backends = []struct {
	name string
	open func(t *testing.T) store.Store
}{
	{"memory", func(t *testing.T) store.Store { return store.NewMemory() }},
	{"bolt", func(t *testing.T) store.Store {
		s, err := store.OpenBolt(filepath.Join(t.TempDir(), store.BoltFile))
		require.NoError(t, err)
		return s
	}},
	{"redis", func(t *testing.T) store.Store {
		s, err := store.OpenRedis(store.RedisOptions{Addr: miniredis.RunT(t).Addr()})
		require.NoError(t, err)
		return s
	}},
}

// conformance are the cases: what every backend must do.
var conformance = []struct {
	name string
	run  func(t *testing.T, s store.Store)
}{
	{"get of a missing key is ErrNotFound", func(t *testing.T, s store.Store) {
		_, err := s.Get("nope")
		assert.ErrorIs(t, err, store.ErrNotFound)
	}},
	{"put then get", func(t *testing.T, s store.Store) {
		require.NoError(t, s.Put("a", []byte("1")))
		assert.Equal(t, []byte("1"), mustGet(t, s, "a"))
	}},
	{"put replaces", func(t *testing.T, s store.Store) {
		require.NoError(t, s.Put("a", []byte("1")))
		require.NoError(t, s.Put("a", []byte("two")))
		assert.Equal(t, []byte("two"), mustGet(t, s, "a"))
		assert.Equal(t, []string{"a"}, scan(t, s, "", ""))
	}},
	{"empty value is a value", func(t *testing.T, s store.Store) {
		require.NoError(t, s.Put("e", nil))
		v, err := s.Get("e")
		require.NoError(t, err)
		assert.NotNil(t, v, "Get of an empty value")
		assert.Empty(t, v)
	}},
	{"large value", func(t *testing.T, s store.Store) {
		v := make([]byte, 60<<10)
		for i := range v {
			v[i] = byte(i * 7)
		}
		require.NoError(t, s.Put("big", v))
		assert.Equal(t, v, mustGet(t, s, "big"))
	}},
	{"binary keys and values", func(t *testing.T, s store.Store) {
		k := "k\xff\x01\x80"
		require.NoError(t, s.Put(k, []byte{0, 0xff, 0}))
		assert.Equal(t, []byte{0, 0xff, 0}, mustGet(t, s, k))
	}},
	{"values are copies", func(t *testing.T, s store.Store) {
		v := []byte("abc")
		require.NoError(t, s.Put("a", v))
		v[0] = 'X'
		got := mustGet(t, s, "a")
		got[1] = 'Y'
		assert.Equal(t, []byte("abc"), mustGet(t, s, "a"))
	}},
	{"delete", func(t *testing.T, s store.Store) {
		require.NoError(t, s.Put("a", []byte("1")))
		require.NoError(t, s.Delete("a"))
		_, err := s.Get("a")
		assert.ErrorIs(t, err, store.ErrNotFound)
		assert.ErrorIs(t, s.Delete("a"), store.ErrNotFound, "second Delete")
	}},
	{"scan is in byte order", func(t *testing.T, s store.Store) {
		for _, k := range []string{"b", "a/2", "\xffz", "a/10", "a", "A", "a/1"} {
			require.NoError(t, s.Put(k, []byte(k)))
		}
		assert.Equal(t, []string{"A", "a", "a/1", "a/10", "a/2", "b", "\xffz"}, scan(t, s, "", ""))
	}},
	{"scan by prefix", func(t *testing.T, s store.Store) {
		putAll(t, s, "a", "a/1", "a/2", "ab", "b/1")
		assert.Equal(t, []string{"a/1", "a/2"}, scan(t, s, "a/", ""))
		assert.Equal(t, []string{"a", "a/1", "a/2", "ab"}, scan(t, s, "a", ""))
		assert.Empty(t, scan(t, s, "c", ""))
		assert.Equal(t, []string{"ab"}, scan(t, s, "ab", ""), "a prefix that is a key")
	}},
	{"scan after a key", func(t *testing.T, s store.Store) {
		putAll(t, s, "a/1", "a/2", "a/3", "b")
		assert.Equal(t, []string{"a/2", "a/3"}, scan(t, s, "a/", "a/1"), "after a key that exists")
		assert.Equal(t, []string{"a/2", "a/3"}, scan(t, s, "a/", "a/15"), "after a key that does not")
		assert.Equal(t, []string{"a/1", "a/2", "a/3"}, scan(t, s, "a/", "a"), "after a key before the prefix")
		assert.Empty(t, scan(t, s, "a/", "a/3"), "after the last key")
		assert.Equal(t, []string{"b"}, scan(t, s, "", "a/3"))
	}},
	{"scan stops when told", func(t *testing.T, s store.Store) {
		putAll(t, s, "a", "b", "c")
		var got []string
		require.NoError(t, s.Scan("", "", func(k string) bool {
			got = append(got, k)
			return len(got) < 2
		}))
		assert.Equal(t, []string{"a", "b"}, got)
	}},
	{"closed store fails with ErrClosed", func(t *testing.T, s store.Store) {
		require.NoError(t, s.Put("a", []byte("1")))
		require.NoError(t, s.Close())
		_, err := s.Get("a")
		assert.ErrorIs(t, err, store.ErrClosed, "Get")
		assert.ErrorIs(t, s.Put("a", nil), store.ErrClosed, "Put")
		assert.ErrorIs(t, s.Delete("a"), store.ErrClosed, "Delete")
		assert.ErrorIs(t, s.Scan("", "", func(string) bool { return true }), store.ErrClosed, "Scan")
	}},
	{"agrees with a model over random operations", func(t *testing.T, s store.Store) {
		checkModel(t, s, rand.New(rand.NewPCG(1, 2)), 600)
	}},
}

func TestConformance(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			for _, c := range conformance {
				t.Run(c.name, func(t *testing.T) {
					s := b.open(t)
					defer s.Close()
					c.run(t, s)
				})
			}
		})
	}
}

// checkModel makes n random puts and deletes on s and on a map, checking
// every Get and a Scan with a random prefix against the map after each.
func checkModel(t *testing.T, s store.Store, r *rand.Rand, n int) {
	model := map[string]string{}
	for i := range n {
		k := fmt.Sprintf("%c/%d", 'a'+r.IntN(3), r.IntN(20))
		if r.IntN(3) == 0 {
			_, had := model[k]
			err := s.Delete(k)
			if had {
				require.NoError(t, err, "op %d: Delete(%q)", i, k)
			} else {
				require.ErrorIs(t, err, store.ErrNotFound, "op %d: Delete(%q)", i, k)
			}
			delete(model, k)
		} else {
			v := fmt.Sprint(r.Uint32())
			require.NoError(t, s.Put(k, []byte(v)), "op %d", i)
			model[k] = v
		}
		got, err := s.Get(k)
		if v, ok := model[k]; ok {
			require.NoError(t, err, "op %d: Get(%q)", i, k)
			require.Equal(t, v, string(got), "op %d: Get(%q)", i, k)
		} else {
			require.ErrorIs(t, err, store.ErrNotFound, "op %d: Get(%q)", i, k)
		}
		prefix := []string{"", "a", "b/", "c/1"}[r.IntN(4)]
		require.Equal(t, modelScan(model, prefix), scan(t, s, prefix, ""), "op %d: Scan(%q)", i, prefix)
	}
}

func modelScan(model map[string]string, prefix string) []string {
	var keys []string
	for k := range model {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func mustGet(t *testing.T, s store.Store, key string) []byte {
	t.Helper()
	v, err := s.Get(key)
	require.NoError(t, err, "Get(%q)", key)
	return v
}

func putAll(t *testing.T, s store.Store, keys ...string) {
	t.Helper()
	for _, k := range keys {
		require.NoError(t, s.Put(k, []byte(k)), "Put(%q)", k)
	}
}

// scan returns the keys Scan walks.
func scan(t *testing.T, s store.Store, prefix, after string) []string {
	t.Helper()
	var keys []string
	require.NoError(t, s.Scan(prefix, after, func(k string) bool {
		keys = append(keys, k)
		return true
	}))
	return slices.Clip(keys)
}
