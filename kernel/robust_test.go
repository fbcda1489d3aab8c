package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// Bad input is an errno for the task that gave it, never a kernel panic and
// never the death of the task.
func TestBadInputIsAnError(t *testing.T) {
	var (
		hugeSlot  = ipc.TaskEndpoint(1<<31, 1)
		maxSlot   = ipc.Endpoint(0xffffffff) // slot 2^32-1, generation 0
		noService = ipc.ServiceEndpoint(999)
		noID      = ipc.ServiceEndpoint(0)
		rep       ipc.Message
		buf       = make([]byte, 8)
	)
	send := func(dst ipc.Endpoint) func(ipc.Sys) error {
		return func(sys ipc.Sys) error { return sys.Send(dst, word(tPing, 1)) }
	}
	call := func(dst ipc.Endpoint) func(ipc.Sys) error {
		return func(sys ipc.Sys) error { return sys.Call(dst, word(tPing, 1), &rep) }
	}
	notify := func(dst ipc.Endpoint) func(ipc.Sys) error {
		return func(sys ipc.Sys) error { return sys.Notify(dst, 1) }
	}
	kill := func(dst ipc.Endpoint) func(ipc.Sys) error {
		return func(sys ipc.Sys) error { return sys.Kill(dst) }
	}
	tests := []struct {
		name string
		do   func(sys ipc.Sys) error
		want ipc.Errno
	}{
		{"send to Any", send(ipc.Any), ipc.ErrInvalid},
		{"send to the kernel", send(ipc.KernelEndpoint), ipc.ErrInvalid},
		{"send to an unknown service", send(noService), ipc.ErrNoService},
		{"send to service id 0", send(noID), ipc.ErrNoService},
		{"send to a huge slot", send(hugeSlot), ipc.ErrDead},
		{"send to the largest slot", send(maxSlot), ipc.ErrDead},
		{"call Any", call(ipc.Any), ipc.ErrInvalid},
		{"call the kernel", call(ipc.KernelEndpoint), ipc.ErrInvalid},
		{"call an unknown service", call(noService), ipc.ErrNoService},
		{"call a huge slot", call(hugeSlot), ipc.ErrDead},
		{"call with a timeout a huge slot", func(sys ipc.Sys) error {
			return sys.CallWith(hugeSlot, word(tPing, 1), &rep, &ipc.Extra{TimeoutNs: 10})
		}, ipc.ErrDead},
		{"notify Any", notify(ipc.Any), ipc.ErrInvalid},
		{"notify the kernel", notify(ipc.KernelEndpoint), ipc.ErrInvalid},
		{"notify a service that does not exist", notify(noService), ipc.ErrNoService},
		{"notify a huge slot", notify(hugeSlot), ipc.ErrDead},
		{"kill Any", kill(ipc.Any), ipc.ErrInvalid},
		{"kill the kernel", kill(ipc.KernelEndpoint), ipc.ErrInvalid},
		{"kill a service", kill(noService), ipc.ErrInvalid},
		{"kill a huge slot", kill(hugeSlot), ipc.ErrDead},
		{"reply to Any", func(sys ipc.Sys) error { return sys.Reply(ipc.Any, &rep) }, ipc.ErrInvalid},
		{"reply to a huge slot", func(sys ipc.Sys) error { return sys.Reply(hugeSlot, &rep) }, ipc.ErrDead},
		{"receive from a huge slot", func(sys ipc.Sys) error { return sys.Receive(hugeSlot, &rep) }, ipc.ErrDead},
		{"receive from a service", func(sys ipc.Sys) error { return sys.Receive(noService, &rep) }, ipc.ErrInvalid},
		{"copy in from Any", func(sys ipc.Sys) error { _, err := sys.CopyIn(ipc.Any, 0, buf); return err }, ipc.ErrInvalid},
		{"copy out to a huge slot", func(sys ipc.Sys) error { _, err := sys.CopyOut(hugeSlot, 0, buf); return err }, ipc.ErrDead},
		{"lookup the empty name", func(sys ipc.Sys) error { _, err := sys.Lookup(""); return err }, ipc.ErrNoService},
		{"register the empty name", func(sys ipc.Sys) error { _, err := sys.Register(""); return err }, ipc.ErrInvalid},
		{"spawn a nil body", func(sys ipc.Sys) error {
			_, err := sys.Spawn(ipc.TaskSpec{Name: "nil"})
			return err
		}, ipc.ErrInvalid},
		{"spawn pinned past the last CPU", func(sys ipc.Sys) error {
			_, err := sys.Spawn(ipc.TaskSpec{Name: "pin", Body: func(ipc.Sys) {}, Pin: true, CPU: 2})
			return err
		}, ipc.ErrInvalid},
		{"spawn pinned to CPU -1", func(sys ipc.Sys) error {
			_, err := sys.Spawn(ipc.TaskSpec{Name: "pin", Body: func(ipc.Sys) {}, Pin: true, CPU: -1})
			return err
		}, ipc.ErrInvalid},
		{"sleep a negative time", func(sys ipc.Sys) error { return sys.Sleep(-5) }, 0},
		{"timer at a negative deadline", func(sys ipc.Sys) error { return sys.SetTimer(-5, 1) }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{CPUs: 2})
			var (
				err      error
				returned bool
			)
			spawn(t, k, "prober", func(sys ipc.Sys) {
				err = tt.do(sys)
				returned = true
			})
			require.NoError(t, k.Run(), "bad input must not panic the kernel")
			require.True(t, returned, "the system call did not return to the task")
			assertErrno(t, tt.want, err)
		})
	}
}

// Receive from a stale endpoint fails at once instead of waiting forever.
func TestReceiveFromStaleEndpoint(t *testing.T) {
	k := boot(t, kernel.Config{})
	var err error
	spawn(t, k, "receiver", func(sys ipc.Sys) {
		old, _ := sys.Spawn(ipc.TaskSpec{Name: "gone", Body: func(ipc.Sys) {}})
		sys.Sleep(1000)
		var m ipc.Message
		err = sys.Receive(old, &m)
	})
	run(t, k)
	assert.ErrorIs(t, err, ipc.ErrDead)
}

// Spawn from boot code rejects the same bad specs as the system call, and
// creates no task for them.
func TestBootSpawnRejectsBadSpecs(t *testing.T) {
	tests := []struct {
		name string
		spec ipc.TaskSpec
	}{
		{"nil body", ipc.TaskSpec{Name: "nil"}},
		{"pinned past the last CPU", ipc.TaskSpec{Name: "pin", Body: func(ipc.Sys) {}, Pin: true, CPU: 2}},
		{"pinned to CPU -1", ipc.TaskSpec{Name: "pin", Body: func(ipc.Sys) {}, Pin: true, CPU: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{CPUs: 2})
			_, err := k.Spawn(tt.spec)
			assert.ErrorIs(t, err, ipc.ErrInvalid)
			assert.Empty(t, k.Tasks())
			run(t, k)
		})
	}
}
