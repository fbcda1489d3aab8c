package kernel_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// Go-level faults of a body: runtime.Goexit, and a body that recovers the
// unwind panic the kernel kills it with.

// hangGuard bounds how long runGuarded waits for Run: these runs used to
// never return, and a test must fail, not hang. It is no timing assert:
// a correct run takes milliseconds.
const hangGuard = 30 * time.Second

// runGuarded runs k on a goroutine and returns Run's result, or fails the
// test if Run does not return.
func runGuarded(t *testing.T, k *kernel.Kernel) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- k.Run() }()
	select {
	case err := <-done:
		return err
	case <-time.After(hangGuard):
		t.Fatalf("Run() has not returned after %v: the run hangs", hangGuard)
		return nil
	}
}

// A body that calls runtime.Goexit exits: its death is traced and noticed
// with the cause "exit: runtime.Goexit", whoever had resumed it, and the
// run goes on.
func TestGoexitIsAnExit(t *testing.T) {
	tests := []struct {
		name string
		// server, if set, is the Goexit-ing task's body instead of a
		// plain one, and the client calls it.
		serving bool
	}{
		{"resumed by the engine's loop", false},
		{"resumed by a client's call", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &kernel.Recorder{}
			k := boot(t, kernel.Config{Trace: rec})
			var (
				deaths    []ipc.Death
				notes     int
				callErr   error
				otherDone bool
				after     bool
			)
			spawn(t, k, "supervisor", superviseInto(&deaths, &notes))
			quitter := spawn(t, k, "quitter", func(sys ipc.Sys) {
				if tt.serving {
					var m ipc.Message
					_ = sys.Receive(ipc.Any, &m)
				} else {
					sys.Sleep(1000)
				}
				runtime.Goexit()
				after = true
			})
			if tt.serving {
				spawn(t, k, "client", func(sys ipc.Sys) {
					var rep ipc.Message
					callErr = sys.Call(quitter, word(tPing, 1), &rep)
				})
			}
			spawn(t, k, "other", func(sys ipc.Sys) {
				sys.Sleep(100_000)
				otherDone = true
			})
			require.NoError(t, runGuarded(t, k))
			assert.False(t, after, "the body went on after runtime.Goexit")
			assert.True(t, otherDone, "another task finished its work")
			if tt.serving {
				assert.ErrorIs(t, callErr, ipc.ErrDead, "Call() to the task that Goexit-ed")
			}
			d := findDeath(deaths, quitter)
			if assert.NotNil(t, d, "a death notice for quitter") {
				assert.Equal(t, "exit: runtime.Goexit", d.Cause, "Death.Cause")
			}
			assert.Contains(t, tracedDeaths(rec), "quitter: exit: runtime.Goexit", "traced deaths")
		})
	}
}

// A Goexit in a handler placed in the kernel is a kernel panic, as a panic
// there is, and the run ends with it.
func TestGoexitInKernelHandlerIsKernelPanic(t *testing.T) {
	k := boot(t, kernel.Config{})
	_, err := k.Place("quit", handler(func(*ipc.Ctx, *ipc.Message) ipc.Message {
		runtime.Goexit()
		return ipc.Message{}
	}))
	require.NoError(t, err)
	spawn(t, k, "client", func(sys ipc.Sys) {
		var rep ipc.Message
		_ = sys.Call(service(t, sys, "quit"), word(tPing, 1), &rep)
	})
	err = runGuarded(t, k)
	var p *kernel.Panic
	require.ErrorAs(t, err, &p, "Run() = %v, want a kernel panic", err)
	assert.Equal(t, "quit", p.Server, "Panic.Server")
	assert.Equal(t, "runtime.Goexit", p.Value, "Panic.Value")
}

// stubborn is a body that recovers every panic of the traps it makes, the
// kernel's unwind included, and goes on; *loops counts its rounds after
// the kernel first unwound it.
func stubborn(loops *int, unwound *bool) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		for range 1000 {
			func() {
				defer func() {
					if recover() != nil {
						*unwound = true
					}
				}()
				var m ipc.Message
				_ = sys.Receive(ipc.Any, &m)
			}()
			if *unwound {
				*loops++
			}
		}
	}
}

// A body that recovers the kernel's unwind still dies: its next trap ends
// it for good. Killing it works, and so does the end of the run, which
// used to spin for ever in the stubborn body.
func TestSwallowedUnwindStillDies(t *testing.T) {
	tests := []struct {
		name string
		kill bool // else the run simply ends with the body blocked
	}{
		{"killed", true},
		{"at the end of the run", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var (
				deaths  []ipc.Death
				notes   int
				loops   int
				unwound bool
				killErr error
			)
			spawn(t, k, "supervisor", superviseInto(&deaths, &notes))
			victim := spawn(t, k, "stubborn", stubborn(&loops, &unwound))
			if tt.kill {
				spawn(t, k, "killer", func(sys ipc.Sys) {
					sys.Sleep(1000)
					killErr = sys.Kill(victim)
				})
			}
			require.NoError(t, runGuarded(t, k))
			assert.True(t, unwound, "the body recovered the unwind panic")
			assert.LessOrEqual(t, loops, 1, "rounds of the body after it was unwound")
			if tt.kill {
				assert.NoError(t, killErr, "Kill()")
				d := findDeath(deaths, victim)
				if assert.NotNil(t, d, "a death notice for the stubborn task") {
					assert.Equal(t, "killed", d.Cause, "Death.Cause")
				}
			}
		})
	}
}

// Shutdown of a kernel booted but never run does not run a stubborn body.
func TestShutdownDoesNotRunBodies(t *testing.T) {
	k := boot(t, kernel.Config{})
	var loops int
	var unwound bool
	spawn(t, k, "stubborn", stubborn(&loops, &unwound))
	k.Shutdown()
	assert.False(t, unwound, "the body ran at Shutdown")
	assert.ErrorIs(t, k.Run(), kernel.ErrEnded, "Run() after Shutdown()")
}

// findDeath returns the notice of ep's death, or nil.
func findDeath(deaths []ipc.Death, ep ipc.Endpoint) *ipc.Death {
	for i := range deaths {
		if deaths[i].Task == ep {
			return &deaths[i]
		}
	}
	return nil
}

// tracedDeaths lists the death events of rec as "name: cause".
func tracedDeaths(rec *kernel.Recorder) []string {
	var out []string
	for _, e := range rec.Events {
		if e.Kind == kernel.EvDeath {
			out = append(out, e.Name+": "+e.Detail)
		}
	}
	return out
}

// A killed body's deferred calls all run, as Go runs them, even when
// several of them make system calls: the first is unwound by the panic,
// the later ones by runtime.Goexit, and the task's death is the kill's.
func TestKilledBodyRunsEveryDeferredCall(t *testing.T) {
	k := boot(t, kernel.Config{})
	var (
		deaths []ipc.Death
		notes  int
		ran    []string
	)
	spawn(t, k, "supervisor", superviseInto(&deaths, &notes))
	victim := spawn(t, k, "victim", func(sys ipc.Sys) {
		cleanup := func(name string) {
			ran = append(ran, name)
			sys.Sleep(1) // a system call of a dead task: it unwinds
			ran = append(ran, name+" went on")
		}
		defer cleanup("first")
		defer cleanup("second")
		defer cleanup("third")
		sys.Sleep(forever)
	})
	spawn(t, k, "killer", func(sys ipc.Sys) {
		sys.Sleep(1000)
		assert.NoError(t, sys.Kill(victim), "Kill()")
	})
	require.NoError(t, runGuarded(t, k))
	assert.Equal(t, []string{"third", "second", "first"}, ran, "deferred calls run")
	if d := findDeath(deaths, victim); assert.NotNil(t, d, "a death notice") {
		assert.Equal(t, "killed", d.Cause, "Death.Cause")
	}
}

// A body that recovers its own Exit or SIGSEGV and goes on still ends,
// with the code and cause it recovered, at its next trap.
func TestRecoveredExitOrSegfaultStillEnds(t *testing.T) {
	for _, c := range []struct {
		name  string
		end   func(sys ipc.Sys)
		cause string
		code  int
	}{
		{"exit", func(sys ipc.Sys) { sys.Exit(7) }, "exit", 7},
		{"segfault", func(sys ipc.Sys) { _ = sys.Load(ipc.VALimit, make([]byte, 1)) }, "segmentation fault at 0x", 139},
	} {
		t.Run(c.name, func(t *testing.T) {
			k, err := kernel.New(kernel.Config{})
			require.NoError(t, err)
			loops := 0
			var deaths []ipc.Death
			_, err = k.Spawn(ipc.TaskSpec{Name: "watcher", Body: func(sys ipc.Sys) {
				require.NoError(t, sys.Supervise())
				_ = sys.Sleep(1e6)
				for d, ok := sys.NextDeath(); ok; d, ok = sys.NextDeath() {
					deaths = append(deaths, d)
				}
			}})
			require.NoError(t, err)
			_, err = k.Spawn(ipc.TaskSpec{Name: "stubborn", Body: func(sys ipc.Sys) {
				func() {
					defer func() { _ = recover() }()
					c.end(sys)
				}()
				for loops < 1000 {
					loops++
					sys.Yield()
				}
			}})
			require.NoError(t, err)
			require.NoError(t, k.Run())
			assert.LessOrEqual(t, loops, 1, "it ends at its next trap")
			require.Len(t, deaths, 1)
			assert.Contains(t, deaths[0].Cause, c.cause)
			assert.Equal(t, c.code, deaths[0].Code)
		})
	}
}
