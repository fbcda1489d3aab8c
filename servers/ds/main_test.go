package ds_test

// The server's tests boot a kernel, place ds in it or spawn it as a task,
// run client task bodies that record what they saw, and assert on the
// record after the run. Bodies use assert, never require: require stops
// the goroutine it runs on, and a body runs on its own coroutine.

import (
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/ds"
	"github.com/mkos/mkos/servers/ds/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// placements are the two places the same server runs, each on every
// backend: the server means the same, subscriptions included, whichever
// store holds its data.
var placements = func() []placement {
	var ps []placement
	for _, where := range []struct {
		name     string
		inKernel bool
	}{{"user space", false}, {"in the kernel", true}} {
		for _, b := range backends {
			ps = append(ps, placement{where.name + "/" + b.name, where.inKernel, b.open})
		}
	}
	return ps
}()

// placement is one place a test runs the server, and the store it opens
// for it.
type placement struct {
	name     string
	inKernel bool
	open     func(t *testing.T) store.Store
}

// backends are the stores the server's tests run on: memory, the file
// store, and the Redis store on an in-process miniredis. Each opens a
// fresh, empty store that is closed when the test ends.
var backends = []struct {
	name string
	open func(t *testing.T) store.Store
}{
	{"memory", func(t *testing.T) store.Store { return store.NewMemory() }},
	{"bolt", openBolt},
	{"redis", openRedis},
}

// openRedis opens a Redis store on a miniredis of its own, closed when
// the test ends.
func openRedis(t *testing.T) store.Store {
	st, err := store.OpenRedis(store.RedisOptions{Addr: miniredis.RunT(t).Addr()})
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

// bootDS returns a kernel with srv serving ds, in the kernel or as a task.
func bootDS(t *testing.T, srv *ds.Server, inKernel bool) *kernel.Kernel {
	t.Helper()
	k, err := kernel.New(kernel.Config{Seed: 1})
	require.NoError(t, err)
	if inKernel {
		_, err = k.Place(dsproto.Name, srv)
	} else {
		_, err = k.Declare(dsproto.Name)
		if err == nil {
			_, err = k.Spawn(dsTask(srv))
		}
	}
	require.NoError(t, err)
	return k
}

// dsTask is a task that serves ds with srv.
func dsTask(srv *ds.Server) ipc.TaskSpec {
	return ipc.TaskSpec{Name: dsproto.Name, Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, dsproto.Name, srv) }}
}

// spawn adds a task that runs body with a client of ds.
func spawn(t *testing.T, k *kernel.Kernel, name string, body func(sys ipc.Sys, c *dsproto.Client)) ipc.Endpoint {
	t.Helper()
	ep, err := k.Spawn(ipc.TaskSpec{Name: name, Body: func(sys ipc.Sys) {
		c, err := dsproto.Dial(sys)
		if !assert.NoError(t, err, "%s: Dial", name) {
			return
		}
		body(sys, c)
	}})
	require.NoError(t, err)
	return ep
}

// run drives k to its end and requires a clean finish.
func run(t *testing.T, k *kernel.Kernel) {
	t.Helper()
	require.NoError(t, k.Run())
	require.Nil(t, k.Halted())
}

// errnoOf returns err's errno, 0 for nil: table tests compare errnos.
func errnoOf(err error) ipc.Errno { return ipc.ErrnoOf(err) }
