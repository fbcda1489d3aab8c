package watchdog_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/kernel/watchdog"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// limit is the tests' watchdog limit: short, so a stall trips soon.
const limit = 200 * time.Millisecond

// worker is a body that sleeps and computes in a loop, for *rounds rounds.
func worker(rounds int) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		for range rounds {
			sys.Compute(10_000)
			sys.Sleep(50_000)
		}
	}
}

// A body (or a handler placed in the kernel) that loops in Go code without
// a system call trips the watchdog: Run returns a Stall naming the task and
// its last system call, instead of hanging. Once the loop lets go, the
// abandoned run ends.
func TestSpinTripsWatchdog(t *testing.T) {
	tests := []struct {
		name     string
		inKernel bool // the spin is in a handler the task calls
		sleep    bool // the task sleeps before it spins
		wantTrap string
	}{
		{"after a system call", false, true, "Sleep"},
		{"before any system call", false, false, ""},
		{"in a handler placed in the kernel", true, true, "Call"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := kernel.New(kernel.Config{})
			require.NoError(t, err)
			var release atomic.Bool
			spin := func() {
				for !release.Load() {
					// an infinite loop, as far as the kernel can tell
				}
			}
			_, err = k.Place("spin", handlerFunc(func(*ipc.Ctx, *ipc.Message) ipc.Message {
				spin()
				return ipc.Message{}
			}))
			require.NoError(t, err)
			spinner, err := k.Spawn(ipc.TaskSpec{Name: "spinner", Body: func(sys ipc.Sys) {
				if tt.sleep {
					sys.Sleep(1_000_000)
				}
				if tt.inKernel {
					id, err := sys.Lookup("spin")
					assert.NoError(t, err, "Lookup()")
					var rep ipc.Message
					_ = sys.Call(ipc.ServiceEndpoint(id), &ipc.Message{Type: 1}, &rep)
				} else {
					spin()
				}
				sys.Sleep(1)
			}})
			require.NoError(t, err)
			_, err = k.Spawn(ipc.TaskSpec{Name: "worker", Body: worker(10)})
			require.NoError(t, err)

			w := watchdog.New(k, limit)
			err = w.Run()
			var s *kernel.Stall
			require.ErrorAs(t, err, &s, "Run() = %v, want a *kernel.Stall", err)
			assert.Equal(t, "spinner", s.Name, "Stall.Name")
			assert.Equal(t, spinner, s.Task, "Stall.Task")
			assert.Equal(t, tt.wantTrap, s.Trap, "Stall.Trap")
			if tt.sleep {
				assert.GreaterOrEqual(t, s.TimeNs, int64(1_000_000), "Stall.TimeNs: the spin began after the sleep")
			}
			assert.Contains(t, s.Error(), "task spinner", "Stall.Error()")
			assert.True(t, w.Abandoned(), "Abandoned() while the body spins")

			release.Store(true)
			err = w.Wait()
			assert.ErrorAs(t, err, &s, "the abandoned run halts with the stall at the next trap: Wait() = %v", err)
			assert.False(t, w.Abandoned(), "Abandoned() after Wait()")
		})
	}
}

// A wait on the host that code in the kernel marks (a read of the host's
// standard input) is no stall, however long it lasts.
func TestHostWaitIsNoStall(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	w := watchdog.New(k, limit)
	_, err = k.Place("stdin", handlerFunc(func(*ipc.Ctx, *ipc.Message) ipc.Message {
		w.Pulse().HostWait(true)
		defer w.Pulse().HostWait(false)
		time.Sleep(3 * limit) // a person who takes their time to type
		return ipc.Message{}
	}))
	require.NoError(t, err)
	_, err = k.Spawn(ipc.TaskSpec{Name: "reader", Body: func(sys ipc.Sys) {
		id, err := sys.Lookup("stdin")
		if assert.NoError(t, err) {
			var rep ipc.Message
			assert.NoError(t, sys.Call(ipc.ServiceEndpoint(id), &ipc.Message{Type: 1}, &rep))
		}
	}})
	require.NoError(t, err)
	assert.NoError(t, w.Run(), "Run() with a long host wait")
}

// A run without a stall returns Run's result, with a limit or without.
func TestRunWithoutStall(t *testing.T) {
	for _, lim := range []time.Duration{0, limit} {
		k, err := kernel.New(kernel.Config{})
		require.NoError(t, err)
		_, err = k.Spawn(ipc.TaskSpec{Name: "worker", Body: worker(100)})
		require.NoError(t, err)
		w := watchdog.New(k, lim)
		assert.NoError(t, w.Run(), "Run() with limit %v", lim)
		assert.Nil(t, w.Stall(), "Stall() with limit %v", lim)
		assert.False(t, w.Abandoned(), "Abandoned() with limit %v", lim)
		assert.NoError(t, w.Wait(), "Wait() with limit %v", lim)
	}
}

// The pulse changes nothing the kernel decides: the same seed gives the
// same trace with a watchdog and without.
func TestWatchdogKeepsTraceDeterministic(t *testing.T) {
	trace := func(lim time.Duration) []kernel.Event {
		rec := &kernel.Recorder{}
		k, err := kernel.New(kernel.Config{Seed: 7, Trace: rec})
		require.NoError(t, err)
		for _, name := range []string{"a", "b", "c"} {
			_, err = k.Spawn(ipc.TaskSpec{Name: name, Body: func(sys ipc.Sys) {
				for range 20 {
					sys.Compute(int64(sys.Rand() % 100_000))
					sys.Yield()
				}
			}})
			require.NoError(t, err)
		}
		require.NoError(t, watchdog.New(k, lim).Run())
		return rec.Events
	}
	assert.Equal(t, trace(0), trace(limit), "trace with a watchdog")
}

// handlerFunc adapts a function to ipc.Server.
type handlerFunc func(ctx *ipc.Ctx, req *ipc.Message) ipc.Message

func (h handlerFunc) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message { return h(ctx, req) }
