package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// watcher is a server that records the deaths it hears of.
type watcher struct {
	handler
	dead    []ipc.Endpoint
	callers []ipc.Endpoint // ctx.Caller at each Exited
}

func (w *watcher) Exited(ctx *ipc.Ctx, task ipc.Endpoint) {
	w.dead = append(w.dead, task)
	w.callers = append(w.callers, ctx.Caller)
}

// ping calls service name once, as a client that leaves state there.
func ping(t testing.TB, sys ipc.Sys, name string) {
	var rep ipc.Message
	assert.NoError(t, sys.Call(service(t, sys, name), word(tPing, 1), &rep))
}

// A server that watches exits hears of the death of every task that called
// it, however it died, in user space (ipc.Serve) and placed in the kernel
// (its kernel thread), without any help from the dying task or from pm;
// it is not woken for tasks that never called it.
func TestWatcherHearsOfEveryDeath(t *testing.T) {
	for _, inKernel := range []bool{false, true} {
		name := map[bool]string{false: "user space", true: "in kernel"}[inKernel]
		t.Run(name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			w := &watcher{handler: testServer}
			if inKernel {
				_, err := k.Place("files", w)
				require.NoError(t, err)
			} else {
				spawn(t, k, "files", serve("files", w))
			}
			var want []ipc.Endpoint
			want = append(want, spawn(t, k, "returns", func(sys ipc.Sys) { ping(t, sys, "files"); sys.Sleep(1000) }))
			want = append(want, spawn(t, k, "exits", func(sys ipc.Sys) { ping(t, sys, "files"); sys.Sleep(2000); sys.Exit(3) }))
			want = append(want, spawn(t, k, "panics", func(sys ipc.Sys) { ping(t, sys, "files"); sys.Sleep(3000); panic("boom") }))
			victim := spawn(t, k, "victim", func(sys ipc.Sys) { ping(t, sys, "files"); sys.Sleep(forever) })
			want = append(want, victim)
			spawn(t, k, "stranger", func(sys ipc.Sys) { sys.Sleep(3500) }) // never calls
			spawn(t, k, "killer", func(sys ipc.Sys) {
				sys.Sleep(4000)
				require.NoError(t, sys.Kill(victim))
			})
			require.NoError(t, k.Run())
			assert.Equal(t, want, w.dead, "Exited() tasks, in order of death")
			for _, c := range w.callers {
				assert.Equal(t, ipc.KernelEndpoint, c, "ctx.Caller at Exited()")
			}
		})
	}
}

// WatchExits needs the KExits privilege; a server without it serves
// without notices.
func TestWatchExitsNeedsThePrivilege(t *testing.T) {
	tests := []struct {
		name  string
		calls ipc.KCall
		want  error
	}{
		{"with KExits", ipc.KExits, nil},
		{"without", 0, ipc.ErrPerm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var got error = ipc.ErrNoSys
			priv := ipc.UserPriv()
			priv.Calls, priv.Register = tt.calls, []string{"watched"}
			spawnSpec(t, k, ipc.TaskSpec{Name: "server", Priv: &priv, Body: func(sys ipc.Sys) {
				_, err := sys.Register("watched")
				require.NoError(t, err)
				got = sys.WatchExits()
			}})
			run(t, k)
			if tt.want == nil {
				assert.NoError(t, got, "WatchExits()")
			} else {
				assert.ErrorIs(t, got, tt.want, "WatchExits()")
			}
		})
	}
}

// WatchExits of a task that serves no service is EINVAL: the notices
// belong to a service.
func TestWatchExitsNeedsAService(t *testing.T) {
	k := boot(t, kernel.Config{})
	var got error
	spawn(t, k, "loner", func(sys ipc.Sys) { got = sys.WatchExits() })
	run(t, k)
	assert.ErrorIs(t, got, ipc.ErrInvalid, "WatchExits()")
}

// A server that does not read its notices for a while loses the ones
// beyond its queue's bound, and is told so (Lost) after the last it kept.
func TestWatcherQueueIsBounded(t *testing.T) {
	const deaths = 300
	k := boot(t, kernel.Config{})
	var got []ipc.Death
	_, err := k.Declare("slow")
	require.NoError(t, err)
	spawn(t, k, "slow", func(sys ipc.Sys) {
		_, err := sys.Register("slow")
		require.NoError(t, err)
		require.NoError(t, sys.WatchExits())
		sys.Sleep(1_000_000) // deaf while everyone dies
		for d, ok := sys.NextDeath(); ok; d, ok = sys.NextDeath() {
			got = append(got, d)
		}
	})
	for range deaths {
		spawn(t, k, "mayfly", func(sys ipc.Sys) {
			var rep ipc.Message
			err := sys.CallWith(service(t, sys, "slow"), word(tPing, 1), &rep, &ipc.Extra{TimeoutNs: 1000})
			assert.ErrorIs(t, err, ipc.ErrTimeout, "the server is deaf")
		})
	}
	run(t, k)
	require.NotEmpty(t, got)
	assert.Less(t, len(got), deaths, "notices kept")
	assert.True(t, got[len(got)-1].Lost, "the last notice says some were lost")
	for _, d := range got[:len(got)-1] {
		assert.False(t, d.Lost)
		assert.Equal(t, "mayfly", d.Name)
	}
}
