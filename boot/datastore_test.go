//go:build !js

package boot

import (
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
)

// redisConfig is dsConfig with the data store in Redis at addr.
func redisConfig(addr string) Config {
	c := dsConfig("")
	c.DS = DSConf{Backend: "redis", Addr: addr}
	return c
}

// readKey boots c, reads key through ds and returns its value ("" when
// missing).
func readKey(t *testing.T, c Config, key string) string {
	t.Helper()
	sys, err := Boot(c, nil)
	require.NoError(t, err)
	defer sys.Close()
	var got string
	sys.Kernel.Spawn(ipc.TaskSpec{Name: "reader", Body: func(s ipc.Sys) {
		cl, err := dsproto.Dial(s)
		if !assert.NoError(t, err) {
			return
		}
		if v, err := cl.Get(key); err == nil {
			got = string(v)
		}
	}})
	_, err = sys.Run()
	require.NoError(t, err)
	return got
}

// The Redis store outlives ds's restart and mkos itself: a second system
// booted on the same server finds what the first one wrote.
func TestDataStoreInRedisSurvivesMkos(t *testing.T) {
	m := miniredis.RunT(t)
	got, restarts := putCrashGet(t, redisConfig(m.Addr()), "first")
	require.Equal(t, "kept", got, "after ds's restart")
	assert.Equal(t, 1, restarts)
	assert.Equal(t, "kept", readKey(t, redisConfig(m.Addr()), "first"), "in the next system")

	other := redisConfig(m.Addr())
	other.DS.Namespace = "elsewhere"
	assert.Equal(t, "", readKey(t, other, "first"), "in another namespace")
}

// Two systems booted at once on one Redis namespace share one data store:
// what one writes, the other reads, while both are up.
func TestTwoSystemsShareOneRedisStore(t *testing.T) {
	m := miniredis.RunT(t)
	a, err := Boot(redisConfig(m.Addr()), nil)
	require.NoError(t, err)
	defer a.Close()
	b, err := Boot(redisConfig(m.Addr()), nil)
	require.NoError(t, err)
	defer b.Close()

	a.Kernel.Spawn(ipc.TaskSpec{Name: "writer", Body: func(s ipc.Sys) {
		cl, err := dsproto.Dial(s)
		if assert.NoError(t, err) {
			assert.NoError(t, cl.Put("shared/k", []byte("from a")))
		}
	}})
	_, err = a.Run()
	require.NoError(t, err)
	var got string
	b.Kernel.Spawn(ipc.TaskSpec{Name: "reader", Body: func(s ipc.Sys) {
		cl, err := dsproto.Dial(s)
		if !assert.NoError(t, err) {
			return
		}
		v, err := cl.Get("shared/k")
		assert.NoError(t, err)
		got = string(v)
	}})
	_, err = b.Run()
	require.NoError(t, err)
	assert.Equal(t, "from a", got)
}

// A Redis server that does not answer stops the boot with an error that
// names ds.addr.
func TestRedisUnreachableFailsBoot(t *testing.T) {
	m := miniredis.RunT(t)
	addr := m.Addr()
	m.Close()
	_, err := Boot(redisConfig(addr), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ds.addr "+addr)
}
