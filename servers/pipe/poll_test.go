package pipe_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// An armed Ready on an empty pipe's read end wakes its poller with
// PollBit as the write lands: within a few µs of IPC costs of the write's
// reply, not after a back-off.
func TestArmedReadyWakesOnWrite(t *testing.T) {
	forPlacements(t, func(t *testing.T, inKernel bool) {
		k, srv := bootPipeServer(t, inKernel)
		var r, w streamproto.Handle
		made := false
		var armed bool
		var bits, woke uint64
		var wokeAt, wroteAt int64
		task(t, k, "poller", func(sys ipc.Sys, c streamproto.Client) {
			var err error
			r, w, err = c.Pipe()
			if !assert.NoError(t, err) {
				return
			}
			made = true
			bits, armed, err = c.ReadyAndArm(r, linux.POLLIN)
			assert.NoError(t, err)
			var m ipc.Message
			assert.NoError(t, sys.Receive(ipc.KernelEndpoint, &m))
			woke, wokeAt = m.Word(0), sys.Now()
		})
		task(t, k, "writer", func(sys ipc.Sys, c streamproto.Client) {
			for !made {
				sys.Sleep(100)
			}
			sys.Sleep(5_000_000 - sys.Now())
			_, err := c.Write(w, []byte("x"))
			assert.NoError(t, err)
			wroteAt = sys.Now()
		})
		assert.NoError(t, k.Run())
		assert.True(t, armed, "ReadyAndArm() armed")
		assert.Zero(t, bits, "ReadyAndArm() bits of an empty pipe")
		assert.Equal(t, streamproto.PollBit, woke, "the notification the poller got")
		assert.GreaterOrEqual(t, wokeAt, int64(5_000_000), "woke at")
		assert.Less(t, wokeAt-wroteAt, int64(20_000), "woke after the write by (ns)")
		assert.Zero(t, srv.Pollers(), "Pollers() once woken")
	})
}

// A poller killed while armed leaves no registration; bad arm words get
// EINVAL; a Ready without ReadyArm never arms.
func TestPollerDiesAndHostileArms(t *testing.T) {
	forPlacements(t, func(t *testing.T, inKernel bool) {
		k, srv := bootPipeServer(t, inKernel)
		armedBefore := -1
		var errs []error
		var plainArmed bool
		poller := task(t, k, "poller", func(sys ipc.Sys, c streamproto.Client) {
			r, _, err := c.Pipe()
			if !assert.NoError(t, err) {
				return
			}
			for _, word := range []uint64{streamproto.ReadyArm | 1<<40, linux.POLLIN, 1 << 63} {
				req := ipc.Message{Type: streamproto.Ready}
				req.SetWord(0, uint64(r))
				req.SetWord(1, word)
				_, err := ipc.Do(sys, c.Dst, &req, nil, streamproto.Errnos)
				errs = append(errs, err)
			}
			req := ipc.Message{Type: streamproto.Ready}
			req.SetWord(0, uint64(r))
			rep, err := ipc.Do(sys, c.Dst, &req, nil, streamproto.Errnos)
			assert.NoError(t, err)
			plainArmed = rep.Word(1) != 0
			_, _, err = c.ReadyAndArm(r, linux.POLLIN)
			assert.NoError(t, err)
			_, _, err = c.ReadyAndArm(r, linux.POLLIN) // re-arming replaces
			assert.NoError(t, err)
			sys.Sleep(forever)
		})
		_, err := k.Spawn(ipc.TaskSpec{Name: "killer", Body: func(sys ipc.Sys) {
			sys.Sleep(1_000_000)
			armedBefore = srv.Pollers()
			assert.NoError(t, sys.Kill(poller))
		}})
		assert.NoError(t, err)
		assert.NoError(t, k.Run())
		for i, err := range errs {
			assert.ErrorIs(t, err, linux.EINVAL, "Ready() with bad arm word %d", i)
		}
		assert.Len(t, errs, 3)
		assert.False(t, plainArmed, "a plain Ready armed")
		assert.Equal(t, 1, armedBefore, "Pollers() while the poller lived")
		assert.Zero(t, srv.Pollers(), "Pollers() after it died")
	})
}
