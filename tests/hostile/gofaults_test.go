package hostile_test

// Go-level faults of a hostile program in task placement: a body that
// calls runtime.Goexit, one that recovers the unwind panic the kernel
// kills it with, and one that loops for ever without a system call. Each
// boots a whole system (the demo's echo clients doing their work beside
// it) in micro and mono mode, through boot.Boot and System.Run as
// `mkos run` does.

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// hangGuard bounds the wait for a run that used to hang for ever; a
// correct run takes milliseconds. It is no timing assert.
const hangGuard = 30 * time.Second

// gofaultModes are the modes the tests boot.
var gofaultModes = []boot.Mode{boot.Micro, boot.Mono}

// bootDemo boots the default system (echo clients) in mode, traced into
// rec, with the watchdog limit given (0: off).
func bootDemo(t *testing.T, mode boot.Mode, rec *kernel.Recorder, watchdog time.Duration) *boot.System {
	t.Helper()
	cfg := boot.Default()
	cfg.Mode = mode
	cfg.Watchdog = boot.Duration(watchdog)
	var tr kernel.Tracer
	if rec != nil {
		tr = rec
	}
	sys, err := boot.Boot(cfg, tr)
	require.NoError(t, err)
	return sys
}

// runGuarded runs sys and returns its summary and error, or fails the test
// when the run does not return.
func runGuarded(t *testing.T, sys *boot.System) (*boot.Summary, error) {
	t.Helper()
	type result struct {
		sum *boot.Summary
		err error
	}
	done := make(chan result, 1)
	go func() {
		sum, err := sys.Run()
		done <- result{sum, err}
	}()
	select {
	case r := <-done:
		return r.sum, r.err
	case <-time.After(hangGuard):
		t.Fatalf("System.Run() has not returned after %v: the run hangs", hangGuard)
		return nil, nil
	}
}

// deathOf returns the cause of the traced death of the task named name,
// and whether it died.
func deathOf(rec *kernel.Recorder, name string) (string, bool) {
	for _, e := range rec.Events {
		if e.Kind == kernel.EvDeath && e.Name == name {
			return e.Detail, true
		}
	}
	return "", false
}

// A program that calls runtime.Goexit exits: the death is traced with its
// cause and the rest of the system finishes its work. It used to hang the
// run for ever at 0% CPU.
func TestGoexitEndsOnlyThatTask(t *testing.T) {
	for _, mode := range gofaultModes {
		t.Run(string(mode), func(t *testing.T) {
			rec := &kernel.Recorder{}
			sys := bootDemo(t, mode, rec, 0)
			defer sys.Close()
			after := false
			_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "hostile", Body: func(s ipc.Sys) {
				s.Sleep(500_000) // among the clients' calls
				runtime.Goexit()
				after = true
			}})
			require.NoError(t, err)
			sum, err := runGuarded(t, sys)
			require.NoError(t, err, "System.Run()")
			assert.False(t, after, "the program went on after runtime.Goexit")
			assert.Equal(t, sys.Config.Workload.Clients, sys.Tally.Finished, "clients that finished")
			cause, died := deathOf(rec, "hostile")
			assert.True(t, died, "a death event for the program")
			assert.Equal(t, "exit: runtime.Goexit", cause, "the traced cause of death")
			assert.NotNil(t, sum, "the run's summary")
		})
	}
}

// stubborn is a program that recovers every panic of its system calls —
// the kernel's unwind included — and calls again; *rounds counts its
// rounds after the first unwind.
func stubborn(rounds *atomic.Int64) func(ipc.Sys) {
	return func(s ipc.Sys) {
		unwound := false
		for range 100_000 {
			func() {
				defer func() {
					if recover() != nil {
						unwound = true
					}
				}()
				var m ipc.Message
				_ = s.Receive(ipc.Any, &m)
			}()
			if unwound {
				rounds.Add(1)
			}
		}
	}
}

// A program that swallows the kernel's unwind still dies when killed (it
// used to survive kill -9), and the end of the run does not spin in it (it
// used to spin for ever).
func TestSwallowedUnwindDoesNotSurvive(t *testing.T) {
	for _, mode := range gofaultModes {
		for _, kill := range []bool{true, false} {
			name := string(mode) + "/at the end of the run"
			if kill {
				name = string(mode) + "/killed"
			}
			t.Run(name, func(t *testing.T) {
				rec := &kernel.Recorder{}
				sys := bootDemo(t, mode, rec, 0)
				defer sys.Close()
				var rounds atomic.Int64
				victim, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "stubborn", Body: stubborn(&rounds)})
				require.NoError(t, err)
				var killErr error
				if kill {
					_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "killer", Body: func(s ipc.Sys) {
						s.Sleep(500_000)
						killErr = s.Kill(victim)
					}})
					require.NoError(t, err)
				}
				_, err = runGuarded(t, sys)
				require.NoError(t, err, "System.Run()")
				assert.LessOrEqual(t, rounds.Load(), int64(1), "rounds of the program after the kernel unwound it")
				if kill {
					assert.NoError(t, killErr, "Kill()")
					cause, died := deathOf(rec, "stubborn")
					assert.True(t, died, "a death event for the program")
					assert.Equal(t, "killed", cause, "the traced cause of death")
				}
				assert.Equal(t, sys.Config.Workload.Clients, sys.Tally.Finished, "clients that finished")
			})
		}
	}
}

// A program in an infinite loop without a system call trips the watchdog:
// the run stops with a Stall naming it, its last system call and the
// virtual time, instead of hanging silently.
func TestSpinTripsWatchdog(t *testing.T) {
	for _, mode := range gofaultModes {
		t.Run(string(mode), func(t *testing.T) {
			sys := bootDemo(t, mode, nil, 200*time.Millisecond)
			var release atomic.Bool
			ep, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "spinner", Body: func(s ipc.Sys) {
				s.Sleep(500_000)
				for !release.Load() {
					// spin: no system call
				}
			}})
			require.NoError(t, err)
			sum, err := sys.Run()
			var stall *kernel.Stall
			if assert.ErrorAs(t, err, &stall, "System.Run() = %v, want a *kernel.Stall", err) {
				assert.Equal(t, "spinner", stall.Name, "Stall.Name")
				assert.Equal(t, ep, stall.Task, "Stall.Task")
				assert.Equal(t, "Sleep", stall.Trap, "Stall.Trap")
				assert.GreaterOrEqual(t, stall.TimeNs, int64(500_000), "Stall.TimeNs")
				assert.Contains(t, err.Error(), "task spinner", "the message names the task")
			}
			assert.Nil(t, sum, "no summary of an abandoned run")
			release.Store(true) // let the spinning goroutine end, then the run
			sys.Wait()
			assert.NoError(t, sys.Close(), "Close() after the abandoned run ended")
		})
	}
}
