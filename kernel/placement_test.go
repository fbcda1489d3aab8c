package kernel_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// A panic in a server placed in the kernel is a kernel panic: the whole
// system stops and Run returns a *kernel.Panic naming the server, the
// request and the time. The same panic in a server task kills only that
// task.
func TestServerPanicByPlacement(t *testing.T) {
	const crashAt = 5000
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			pl.place(t, k, "crashy", testServer)
			var (
				client      ipc.Endpoint
				firstErr    error
				crashErr    error
				returned    bool
				bystanderOK bool
			)
			client = spawn(t, k, "client", func(sys ipc.Sys) {
				dst := service(t, sys, "crashy")
				var rep ipc.Message
				firstErr = sys.Call(dst, word(tPing, 1), &rep)
				sys.Sleep(crashAt)
				crashErr = sys.Call(dst, word(tCrash, 2), &rep)
				returned = true
			})
			spawn(t, k, "bystander", func(sys ipc.Sys) {
				sys.Sleep(1_000_000)
				bystanderOK = true
			})
			err := k.Run()
			assert.NoError(t, firstErr)

			if pl.name == "user-space" {
				require.NoError(t, err, "a user-space server's panic must not stop the system")
				assert.Nil(t, k.Halted())
				assert.True(t, returned, "the client's call did not return")
				assert.ErrorIs(t, crashErr, ipc.ErrServiceDied)
				assert.True(t, bystanderOK, "the rest of the system stopped")
				assert.Empty(t, serviceInfo(t, k, "crashy").Instances)
				return
			}
			var p *kernel.Panic
			require.True(t, errors.As(err, &p), "Run() = %v, want a *kernel.Panic", err)
			assert.Same(t, p, k.Halted())
			assert.Equal(t, "crashy", p.Server)
			assert.Equal(t, tCrash, p.Request.Type)
			assert.Equal(t, uint64(2), p.Request.Word(0))
			assert.Equal(t, client, p.Caller)
			assert.Equal(t, "boom", p.Value)
			assert.GreaterOrEqual(t, p.TimeNs, int64(crashAt))
			assert.Less(t, p.TimeNs, int64(crashAt+10_000))
			msg := p.Error()
			assert.Contains(t, msg, `"crashy"`)
			assert.Contains(t, msg, "serving crashy.type=3", "the request named by its service (ipc.TypeName)")
			assert.Contains(t, msg, kernel.FormatNs(p.TimeNs))
			assert.False(t, returned, "a task ran on after the kernel panic")
			assert.False(t, bystanderOK, "a task ran on after the kernel panic")
		})
	}
}

// The same server answers the same requests the same way in either
// placement; only the reply's Source tells where it ran.
func TestSameServerEitherPlacement(t *testing.T) {
	type answer struct {
		Type    ipc.Type
		Errno   uint16
		Service bool
		Word    uint64
	}
	var got [2][]answer
	for i, pl := range placements {
		k := boot(t, kernel.Config{})
		pl.place(t, k, "svc", testServer)
		spawn(t, k, "client", func(sys ipc.Sys) {
			sys.Sleep(1000)
			dst := service(t, sys, "svc")
			for _, req := range []*ipc.Message{word(tPing, 7), word(tFail, 1), word(99, 0)} {
				var rep ipc.Message
				assert.NoError(t, sys.Call(dst, req, &rep))
				got[i] = append(got[i], answer{rep.Type, rep.Errno, rep.Service == dst.Service(), rep.Word(0)})
			}
		})
		run(t, k)
	}
	assert.Equal(t, got[0], got[1])
	assert.Equal(t, answer{tPing, 0, true, 7}, got[0][0])
}

// Calls from a server placed in the kernel run on behalf of the task whose
// trap it serves: an in-kernel server can call a user-space one.
func TestInKernelServerCallsUserServer(t *testing.T) {
	k := boot(t, kernel.Config{})
	spawn(t, k, "back", serve("back", testServer))
	_, err := k.Place("front", handler(func(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
		id, err := ctx.Sys.Lookup("back")
		if err != nil {
			return ipc.ErrorReply(req, ipc.ErrNoService)
		}
		var rep ipc.Message
		if err := ctx.Sys.Call(ipc.ServiceEndpoint(id), word(tPing, req.Word(0)+1), &rep); err != nil {
			return ipc.ErrorReply(req, err.(ipc.Errno))
		}
		return rep
	}))
	require.NoError(t, err)
	var rep ipc.Message
	var callErr error
	spawn(t, k, "client", func(sys ipc.Sys) {
		sys.Sleep(1000)
		callErr = sys.Call(service(t, sys, "front"), word(tPing, 41), &rep)
	})
	run(t, k)
	require.NoError(t, callErr)
	assert.NoError(t, rep.Err())
	assert.Equal(t, uint64(42), rep.Word(0))
	assert.Equal(t, int64(1), k.Stats().KernelCalls)
}
