package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// A task killed while a server placed in the kernel serves its request (the
// handler waits on a slow user-space server, as the file server waits for
// the disk) dies only when the handler returns: the handler is never
// unwound midway with its server's state held, and the next caller is
// served. Before, the kill unwound the handler and "busy" stayed set.
func TestKillInsideInKernelHandlerWaitsForIt(t *testing.T) {
	k := boot(t, kernel.Config{})
	spawn(t, k, "slow", serve("slow", handler(func(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
		ctx.Sys.Sleep(50_000)
		r := ipc.Reply(req)
		r.Payload = req.Payload
		return r
	})))
	busy, finished := false, 0
	_, err := k.Place("front", handler(func(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
		if busy {
			return ipc.ErrorReply(req, ipc.ErrInvalid)
		}
		busy = true
		var rep ipc.Message
		err := ctx.Sys.Call(service(t, ctx.Sys, "slow"), req, &rep)
		busy = false
		finished++
		if err != nil {
			return ipc.ErrorReply(req, err.(ipc.Errno))
		}
		return rep
	}))
	require.NoError(t, err)

	victimReturned := false
	victim := spawn(t, k, "victim", func(sys ipc.Sys) {
		sys.Sleep(1000)
		var rep ipc.Message
		_ = sys.Call(service(t, sys, "front"), word(tPing, 1), &rep)
		victimReturned = true // never: it is killed before its trap returns
	})
	var killErr error
	spawn(t, k, "killer", func(sys ipc.Sys) {
		sys.Sleep(10_000) // the victim is inside front, waiting for slow
		killErr = sys.Kill(victim)
	})
	var laterErr error
	var later ipc.Message
	spawn(t, k, "later", func(sys ipc.Sys) {
		sys.Sleep(200_000)
		laterErr = sys.Call(service(t, sys, "front"), word(tPing, 7), &later)
	})
	run(t, k)

	require.NoError(t, killErr)
	assert.False(t, victimReturned, "the killed task's Call returned")
	assert.Equal(t, 2, finished, "front's handler ran to its end for both callers")
	assert.False(t, busy, "front is left busy")
	require.NoError(t, laterErr)
	assert.NoError(t, later.Err())
	assert.Equal(t, uint64(7), later.Word(0))
}
