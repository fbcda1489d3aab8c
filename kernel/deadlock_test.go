package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// A send or receive that would close a cycle of tasks waiting for each
// other fails with ErrDeadlock instead of hanging; a chain without a cycle
// just waits.
func TestDeadlock(t *testing.T) {
	tests := []struct {
		name string
		// setup spawns the tasks; the one that closes (or does not close)
		// the cycle stores its result in *err.
		setup func(t *testing.T, k *kernel.Kernel, err *error)
		want  ipc.Errno
		// sendSide: the refused operation is a send or call, which
		// the trace shows as an EvDeadlock event.
		sendSide bool
	}{
		{"call a task that is sending to the caller", func(t *testing.T, k *kernel.Kernel, err *error) {
			var a, b ipc.Endpoint
			a = spawn(t, k, "a", func(sys ipc.Sys) {
				sys.Sleep(1000)
				var rep ipc.Message
				*err = sys.Call(b, word(tPing, 1), &rep)
				assert.NoError(t, sys.Receive(b, &rep), "b's message must still be there")
			})
			b = spawn(t, k, "b", func(sys ipc.Sys) {
				assert.NoError(t, sys.Send(a, word(tPing, 2)))
			})
		}, ipc.ErrDeadlock, true},
		{"send to a task that is sending to the sender", func(t *testing.T, k *kernel.Kernel, err *error) {
			var a, b ipc.Endpoint
			a = spawn(t, k, "a", func(sys ipc.Sys) {
				sys.Sleep(1000)
				*err = sys.Send(b, word(tPing, 1))
				var m ipc.Message
				assert.NoError(t, sys.Receive(b, &m))
			})
			b = spawn(t, k, "b", func(sys ipc.Sys) {
				assert.NoError(t, sys.Send(a, word(tPing, 2)))
			})
		}, ipc.ErrDeadlock, true},
		{"three-cycle a→b→c→a", func(t *testing.T, k *kernel.Kernel, err *error) {
			var a, b, c ipc.Endpoint
			a = spawn(t, k, "a", func(sys ipc.Sys) {
				assert.NoError(t, sys.Send(b, word(tPing, 1)))
			})
			b = spawn(t, k, "b", func(sys ipc.Sys) {
				sys.Sleep(100)
				assert.NoError(t, sys.Send(c, word(tPing, 2)))
				var m ipc.Message
				assert.NoError(t, sys.Receive(ipc.Any, &m))
			})
			c = spawn(t, k, "c", func(sys ipc.Sys) {
				sys.Sleep(200)
				var rep ipc.Message
				*err = sys.Call(a, word(tPing, 3), &rep)
				assert.NoError(t, sys.Receive(ipc.Any, &rep))
			})
		}, ipc.ErrDeadlock, true},
		{"call a task that awaits the caller's reply", func(t *testing.T, k *kernel.Kernel, err *error) {
			var a, b ipc.Endpoint
			a = spawn(t, k, "a", func(sys ipc.Sys) {
				var rep ipc.Message
				assert.NoError(t, sys.Call(b, word(tPing, 1), &rep))
			})
			b = spawn(t, k, "b", func(sys ipc.Sys) {
				var req, rep ipc.Message
				assert.NoError(t, sys.Receive(ipc.Any, &req))
				*err = sys.Call(a, word(tPing, 2), &rep)
				assert.NoError(t, sys.Reply(req.Source, &rep))
			})
		}, ipc.ErrDeadlock, true},
		{"receive from a task that awaits the receiver's reply", func(t *testing.T, k *kernel.Kernel, err *error) {
			var r ipc.Endpoint
			r = spawn(t, k, "r", func(sys ipc.Sys) {
				var req, m ipc.Message
				assert.NoError(t, sys.Receive(ipc.Any, &req))
				*err = sys.Receive(req.Source, &m)
				assert.NoError(t, sys.Reply(req.Source, &m))
			})
			spawn(t, k, "x", func(sys ipc.Sys) {
				var rep ipc.Message
				assert.NoError(t, sys.Call(r, word(tPing, 1), &rep))
			})
		}, ipc.ErrDeadlock, false},
		{"call a service whose only instance is sending to the caller", func(t *testing.T, k *kernel.Kernel, err *error) {
			var a ipc.Endpoint
			a = spawn(t, k, "a", func(sys ipc.Sys) {
				sys.Sleep(1000)
				var rep ipc.Message
				*err = sys.Call(service(t, sys, "svc"), word(tPing, 1), &rep)
				assert.NoError(t, sys.Receive(ipc.Any, &rep))
			})
			spawn(t, k, "b", func(sys ipc.Sys) {
				_, e := sys.Register("svc")
				assert.NoError(t, e)
				assert.NoError(t, sys.Send(a, word(tPing, 2)))
			})
		}, ipc.ErrDeadlock, true},
		{"no cycle: a chain a→b→c waits", func(t *testing.T, k *kernel.Kernel, err *error) {
			var b, c ipc.Endpoint
			spawn(t, k, "a", func(sys ipc.Sys) {
				sys.Sleep(100)
				*err = sys.Send(b, word(tPing, 1))
			})
			b = spawn(t, k, "b", func(sys ipc.Sys) {
				assert.NoError(t, sys.Send(c, word(tPing, 2)))
				var m ipc.Message
				assert.NoError(t, sys.Receive(ipc.Any, &m))
			})
			c = spawn(t, k, "c", func(sys ipc.Sys) {
				sys.Sleep(1_000_000)
				var m ipc.Message
				assert.NoError(t, sys.Receive(ipc.Any, &m))
			})
		}, 0, false},
		{"no cycle: receive from a sleeping task waits", func(t *testing.T, k *kernel.Kernel, err *error) {
			var x ipc.Endpoint
			r := spawn(t, k, "r", func(sys ipc.Sys) {
				var m ipc.Message
				*err = sys.Receive(x, &m)
			})
			x = spawn(t, k, "x", func(sys ipc.Sys) {
				sys.Sleep(1000)
				assert.NoError(t, sys.Send(r, word(tPing, 1)))
			})
		}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec kernel.Recorder
			k := boot(t, kernel.Config{Trace: &rec})
			err := error(ipc.ErrNoSys) // overwritten by the operation under test
			tt.setup(t, k, &err)
			run(t, k)
			assertErrno(t, tt.want, err)
			deadlocks := 0
			for _, e := range rec.Events {
				if e.Kind == kernel.EvDeadlock {
					deadlocks++
				}
			}
			if tt.want == 0 {
				assert.Zero(t, deadlocks, "deadlock trace events")
			} else if tt.sendSide {
				assert.Equal(t, 1, deadlocks, "deadlock trace events")
			}
			for _, task := range k.Tasks() {
				t.Errorf("task %s is left %s", task.Name(), task.State())
			}
		})
	}
}
