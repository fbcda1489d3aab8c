//go:build redisserver && !js

package boot

// This test runs the Redis store against a real redis-server from the
// distribution's packages (make redistest installs it when missing), on
// a loopback port of its own, in a temporary directory. It is behind the
// redisserver build tag so that go test ./... needs only Go.

import (
	"fmt"
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/servers/ds/store"
)

// startRedis starts a redis-server on a free loopback port, keeping
// nothing on disk outside a temporary directory, and stops it when the
// test ends. It returns the server's address.
func startRedis(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	require.NoError(t, err, "redis-server is not installed: make redistest installs it")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	addr := fmt.Sprintf("127.0.0.1:%d", port)

	cmd := exec.Command(bin, "--bind", "127.0.0.1", "--port", fmt.Sprint(port),
		"--dir", t.TempDir(), "--save", "", "--appendonly", "no", "--protected-mode", "yes")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		s, err := store.OpenRedis(store.RedisOptions{Addr: addr})
		if err == nil {
			s.Close()
			return addr
		}
		require.True(t, time.Now().Before(deadline), "redis-server at %s did not answer: %v", addr, err)
	}
}

// On a real Redis: the store keeps byte order (ZRANGEBYLEX on the
// server's own comparison), systems booted in sequence share the data,
// and two systems up at once share one store.
func TestRealRedisServer(t *testing.T) {
	addr := startRedis(t)

	s, err := store.OpenRedis(store.RedisOptions{Addr: addr, Namespace: "order"})
	require.NoError(t, err)
	for _, k := range []string{"b", "a/2", "\xffz", "a/10", "a", "A", "a/1"} {
		require.NoError(t, s.Put(k, []byte(k)))
	}
	require.NoError(t, s.Delete("a"))
	var keys []string
	require.NoError(t, s.Scan("", "", func(k string) bool { keys = append(keys, k); return true }))
	assert.Equal(t, []string{"A", "a/1", "a/10", "a/2", "b", "\xffz"}, keys)
	v, err := s.Get("missing")
	assert.ErrorIs(t, err, store.ErrNotFound)
	assert.Nil(t, v)
	require.NoError(t, s.Close())

	got, _ := putCrashGet(t, redisConfig(addr), "first")
	require.Equal(t, "kept", got, "after ds's restart")
	assert.Equal(t, "kept", readKey(t, redisConfig(addr), "first"), "in the next system")
}

// BenchmarkRealRedis measures the host time of a put and a get on a real
// redis-server over loopback (make redistest's server; go test -tags
// redisserver -run '^$' -bench RealRedis ./boot).
func BenchmarkRealRedis(b *testing.B) {
	s, err := store.OpenRedis(store.RedisOptions{Addr: startRedis(b)})
	require.NoError(b, err)
	defer s.Close()
	b.Run("put", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if err := s.Put(fmt.Sprintf("k/%d", i%1000), []byte("value")); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("get", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Get("k/1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
