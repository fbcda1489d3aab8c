package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// A task endpoint is a slot and a generation: once the task is dead and its
// slot holds a new task, the old endpoint names nobody.
func TestStaleEndpointNeverReachesNewTask(t *testing.T) {
	tests := []struct {
		name string
		use  func(sys ipc.Sys, old ipc.Endpoint) error
	}{
		{"send", func(sys ipc.Sys, old ipc.Endpoint) error {
			return sys.Send(old, word(tPing, 1))
		}},
		{"call", func(sys ipc.Sys, old ipc.Endpoint) error {
			var rep ipc.Message
			return sys.Call(old, word(tPing, 1), &rep)
		}},
		{"call with timeout", func(sys ipc.Sys, old ipc.Endpoint) error {
			var rep ipc.Message
			return sys.CallWith(old, word(tPing, 1), &rep, &ipc.Extra{TimeoutNs: 1000})
		}},
		{"notify", func(sys ipc.Sys, old ipc.Endpoint) error {
			return sys.Notify(old, 1)
		}},
		{"kill", func(sys ipc.Sys, old ipc.Endpoint) error {
			return sys.Kill(old)
		}},
		{"receive", func(sys ipc.Sys, old ipc.Endpoint) error {
			var m ipc.Message
			return sys.Receive(old, &m)
		}},
		{"reply", func(sys ipc.Sys, old ipc.Endpoint) error {
			return sys.Reply(old, word(tPing, 1))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var (
				old, fresh ipc.Endpoint
				got        []ipc.Message
				err        error
				freshAlive bool
			)
			spawn(t, k, "driver", func(sys ipc.Sys) {
				old, _ = sys.Spawn(ipc.TaskSpec{Name: "old", Body: func(ipc.Sys) {}})
				sys.Sleep(1000) // old runs and exits
				fresh, _ = sys.Spawn(ipc.TaskSpec{Name: "new", Body: receiveAll(&got)})
				sys.Sleep(1000) // new blocks in Receive
				err = tt.use(sys, old)
				sys.Sleep(1000)
				freshAlive = k.Task(fresh) != nil
			})
			run(t, k)

			require.Equal(t, old.Slot(), fresh.Slot(), "the new task must reuse the old slot")
			require.NotEqual(t, old.Gen(), fresh.Gen(), "a reused slot must have a new generation")
			assert.ErrorIs(t, err, ipc.ErrDead)
			assert.Empty(t, got, "the new task in the reused slot received something")
			assert.True(t, freshAlive, "the new task in the reused slot died")
		})
	}
}
