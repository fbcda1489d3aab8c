//go:build !js

package store_test

import (
	"fmt"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/servers/ds/store"
)

func openRedis(t *testing.T, o store.RedisOptions) *store.Redis {
	t.Helper()
	s, err := store.OpenRedis(o)
	require.NoError(t, err)
	return s
}

// The Redis store keeps what it acknowledged after its client closes: a
// restart of mkos finds it in the server.
func TestRedisSurvivesReopen(t *testing.T) {
	o := store.RedisOptions{Addr: miniredis.RunT(t).Addr()}
	s := openRedis(t, o)
	putAll(t, s, "pm/1", "pm/2", "fs/open/3")
	require.NoError(t, s.Delete("pm/2"))
	require.NoError(t, s.Close())

	s = openRedis(t, o)
	defer s.Close()
	assert.Equal(t, []string{"fs/open/3", "pm/1"}, scan(t, s, "", ""))
	assert.Equal(t, []byte("pm/1"), mustGet(t, s, "pm/1"))
}

// Two stores open at once on the same server and namespace are one store:
// each sees the other's writes and deletes at once.
func TestRedisSharedByTwoClients(t *testing.T) {
	o := store.RedisOptions{Addr: miniredis.RunT(t).Addr()}
	a, b := openRedis(t, o), openRedis(t, o)
	defer a.Close()
	defer b.Close()
	require.NoError(t, a.Put("k", []byte("from a")))
	assert.Equal(t, []byte("from a"), mustGet(t, b, "k"))
	require.NoError(t, b.Delete("k"))
	_, err := a.Get("k")
	assert.ErrorIs(t, err, store.ErrNotFound)
	assert.ErrorIs(t, a.Delete("k"), store.ErrNotFound, "a Delete of what b deleted")
}

// Namespaces and databases keep stores on one server apart.
func TestRedisNamespacesAreApart(t *testing.T) {
	addr := miniredis.RunT(t).Addr()
	cases := []struct {
		name string
		a, b store.RedisOptions
	}{
		{"namespaces", store.RedisOptions{Addr: addr, Namespace: "one"}, store.RedisOptions{Addr: addr, Namespace: "two"}},
		{"databases", store.RedisOptions{Addr: addr, DB: 1}, store.RedisOptions{Addr: addr, DB: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := openRedis(t, c.a), openRedis(t, c.b)
			defer a.Close()
			defer b.Close()
			require.NoError(t, a.Put("k", []byte("a")))
			_, err := b.Get("k")
			assert.ErrorIs(t, err, store.ErrNotFound)
			assert.Empty(t, scan(t, b, "", ""))
		})
	}
}

// A scan longer than one page of the sorted set walks every key once, in
// order, from wherever it starts.
func TestRedisScanPages(t *testing.T) {
	s := openRedis(t, store.RedisOptions{Addr: miniredis.RunT(t).Addr()})
	defer s.Close()
	var want []string
	for i := range 700 {
		k := fmt.Sprintf("k/%04d", i)
		require.NoError(t, s.Put(k, nil))
		want = append(want, k)
	}
	require.NoError(t, s.Put("l", nil))
	assert.Equal(t, want, scan(t, s, "k/", ""))
	assert.Equal(t, want[300:], scan(t, s, "k/", "k/0299"))
}

// A server that cannot be reached is a clear error at open, and a server
// that goes away is an error for the call, not a hang and not ErrNotFound.
func TestRedisUnreachable(t *testing.T) {
	m := miniredis.RunT(t)
	addr := m.Addr()
	s := openRedis(t, store.RedisOptions{Addr: addr})
	defer s.Close()
	m.Close()

	_, err := s.Get("k")
	require.Error(t, err)
	assert.NotErrorIs(t, err, store.ErrNotFound)
	assert.Contains(t, err.Error(), addr)
	assert.Error(t, s.Put("k", nil))

	_, err = store.OpenRedis(store.RedisOptions{Addr: addr})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "redis at "+addr)
	_, err = store.OpenRedis(store.RedisOptions{})
	assert.ErrorContains(t, err, "needs an address")
}
