package ds_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/ds"
	"github.com/mkos/mkos/servers/ds/store"
)

// supervisor stands in for the reincarnation server: it starts the ds
// instance, and when the kernel reports its death it starts a new one on
// the same store — which is what keeps the data.
type supervisor struct {
	st      store.Store
	current ipc.Endpoint
	deaths  []ipc.Death
}

func (s *supervisor) body(sys ipc.Sys) {
	if sys.Supervise() != nil {
		return
	}
	s.start(sys)
	var m ipc.Message
	for sys.Receive(ipc.KernelEndpoint, &m) == nil {
		for d, ok := sys.NextDeath(); ok; d, ok = sys.NextDeath() {
			if d.Task == s.current {
				s.deaths = append(s.deaths, d)
				s.start(sys)
			}
		}
	}
}

func (s *supervisor) start(sys ipc.Sys) {
	ep, err := sys.Spawn(dsTask(ds.New(s.st, ds.Options{})))
	if err == nil {
		s.current = ep
	}
}

// restartBackends are the stores a restart must not lose: a memory store
// the supervisor keeps, and the file store.
var restartBackends = []struct {
	name string
	open func(t *testing.T) store.Store
}{
	{"memory kept by the supervisor", func(t *testing.T) store.Store { return store.NewMemory() }},
	{"bolt", func(t *testing.T) store.Store {
		s, err := store.OpenBolt(filepath.Join(t.TempDir(), store.BoltFile))
		require.NoError(t, err)
		return s
	}},
	{"redis", openRedis},
}

// faults are the ways the ds instance dies while a client works: killed
// between requests, and panicking or crashed by the kernel while serving
// one (the client's retry takes over).
var faults = []struct {
	name  string
	cause string
	hit   func(t *testing.T, sys ipc.Sys, sup *supervisor)
}{
	{"killed", "killed", func(t *testing.T, sys ipc.Sys, sup *supervisor) {
		assert.NoError(t, sys.Kill(sup.current))
	}},
	{"crash request", "panic: ds: crash requested by", func(t *testing.T, sys ipc.Sys, sup *supervisor) {
		c, err := dsproto.Dial(sys)
		if assert.NoError(t, err) {
			assert.ErrorIs(t, c.Crash(), ipc.ErrServiceDied)
		}
	}},
	{"kernel fault injection", "injected crash", func(t *testing.T, sys ipc.Sys, sup *supervisor) {
		assert.NoError(t, sys.Inject(dsproto.Name, ipc.InjectCrash, 0))
	}},
}

// The ds dies while a client writes; the supervisor starts a new instance
// on the same store; the client's retried requests go on, every value it
// wrote is there, and it notices the new generation and that its
// subscription is gone.
func TestRestartKeepsData(t *testing.T) {
	const puts = 40
	for _, b := range restartBackends {
		for _, f := range faults {
			t.Run(b.name+"/"+f.name, func(t *testing.T) {
				st := b.open(t)
				defer st.Close()
				k, err := kernel.New(kernel.Config{Seed: 1})
				require.NoError(t, err)
				_, err = k.Declare(dsproto.Name)
				require.NoError(t, err)
				sup := &supervisor{st: st}
				_, err = k.Spawn(ipc.TaskSpec{Name: "supervisor", Body: sup.body})
				require.NoError(t, err)

				var gens []uint64
				var subGen uint64
				got := map[string]string{}
				var stale, resub ipc.Errno
				spawn(t, k, "client", func(sys ipc.Sys, c *dsproto.Client) {
					subGen, _ = c.Subscribe("job/", dsproto.DefaultBits)
					for i := range puts {
						key := fmt.Sprintf("job/%02d", i)
						assert.NoError(t, c.Put(key, []byte(fmt.Sprint("v", i))), "Put(%q)", key)
						gens = append(gens, c.Gen)
						sys.Sleep(20_000) // let the fault in
					}
					for i := range puts {
						key := fmt.Sprintf("job/%02d", i)
						v, err := c.Get(key)
						assert.NoError(t, err, "Get(%q)", key)
						got[key] = string(v)
					}
					_, _, err := c.Changes()
					stale = errnoOf(err)
					_, err = c.Subscribe("job/", dsproto.DefaultBits)
					resub = errnoOf(err)
				})
				spawn(t, k, "fault", func(sys ipc.Sys, c *dsproto.Client) {
					sys.Sleep(300_000) // mid-workload
					f.hit(t, sys, sup)
				})
				run(t, k)

				require.Len(t, sup.deaths, 1, "ds deaths")
				assert.Contains(t, sup.deaths[0].Cause, f.cause)
				for i := range puts {
					key := fmt.Sprintf("job/%02d", i)
					assert.Equal(t, fmt.Sprint("v", i), got[key], "value of %s after the restart", key)
				}
				assert.Equal(t, uint64(1), subGen, "generation at Subscribe")
				assert.Equal(t, uint64(1), gens[0], "generation before the fault")
				assert.Equal(t, uint64(2), gens[len(gens)-1], "generation after the restart")
				assert.Equal(t, linux.ESTALE, stale, "Changes after the restart")
				assert.Equal(t, ipc.Errno(0), resub, "Subscribe again")
			})
		}
	}
}

// The file store keeps the data across a restart of mkos itself: a
// second kernel, with ds placed elsewhere, reads what the first wrote.
func TestBoltSurvivesMkosRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.BoltFile)
	boots := []struct {
		name     string
		inKernel bool
		body     func(sys ipc.Sys, c *dsproto.Client)
	}{
		{"first boot, ds in user space", false, func(sys ipc.Sys, c *dsproto.Client) {
			assert.NoError(t, c.Put("pm/proc/1", []byte("init")))
			assert.NoError(t, c.Put("fs/open/3", []byte("/etc/motd")))
			assert.NoError(t, c.Delete("fs/open/3"))
			assert.Equal(t, uint64(1), c.Gen)
		}},
		{"second boot, ds in the kernel", true, func(sys ipc.Sys, c *dsproto.Client) {
			v, err := c.Get("pm/proc/1")
			assert.NoError(t, err)
			assert.Equal(t, "init", string(v))
			keys, err := c.List("")
			assert.NoError(t, err)
			assert.Equal(t, []string{"pm/proc/1"}, keys)
			assert.Equal(t, uint64(2), c.Gen, "generation on the second boot")
		}},
	}
	for _, b := range boots {
		st, err := store.Open(filepath.Dir(path))
		require.NoError(t, err, b.name)
		k := bootDS(t, ds.New(st, ds.Options{}), b.inKernel)
		spawn(t, k, "client", b.body)
		run(t, k)
		require.NoError(t, st.Close(), b.name)
	}
}
