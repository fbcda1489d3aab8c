package kernel_test

// The kernel's unit tests, one file per rule family. Every test boots a
// kernel, spawns task bodies that record what they saw, runs the kernel to
// its end, and asserts on the record. Bodies use assert, never require:
// require stops the test goroutine, and a body runs on its own coroutine.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// TestMain checks that no test leaks a goroutine (the js/wasm runtime's own
// event handler is not ours).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("runtime.handleEvent"))
}

// forever is a Sleep longer than any test's workload.
const forever = int64(1) << 50

// Message types used by the tests' servers.
const (
	tPing  ipc.Type = iota + 1 // answered with the request's payload
	tFail                      // answered with EINVAL
	tCrash                     // the server panics
	tWho                       // answered with the server's own endpoint in word 0
)

// boot returns a new kernel booted with cfg.
func boot(t testing.TB, cfg kernel.Config) *kernel.Kernel {
	t.Helper()
	k, err := kernel.New(cfg)
	require.NoError(t, err)
	return k
}

// spawn creates a task from boot code.
func spawn(t testing.TB, k *kernel.Kernel, name string, body func(ipc.Sys)) ipc.Endpoint {
	t.Helper()
	return spawnSpec(t, k, ipc.TaskSpec{Name: name, Body: body})
}

func spawnSpec(t testing.TB, k *kernel.Kernel, spec ipc.TaskSpec) ipc.Endpoint {
	t.Helper()
	ep, err := k.Spawn(spec)
	require.NoError(t, err)
	return ep
}

// run drives k to its end and requires a clean finish.
func run(t testing.TB, k *kernel.Kernel) {
	t.Helper()
	require.NoError(t, k.Run())
	require.Nil(t, k.Halted())
}

// word returns a message of type typ with payload word 0 set to w.
func word(typ ipc.Type, w uint64) *ipc.Message {
	m := &ipc.Message{Type: typ}
	m.SetWord(0, w)
	return m
}

// assertErrno asserts that err is errno want (0: no error).
func assertErrno(t testing.TB, want ipc.Errno, err error, msgAndArgs ...any) bool {
	t.Helper()
	if want == 0 {
		return assert.NoError(t, err, msgAndArgs...)
	}
	return assert.ErrorIs(t, err, want, msgAndArgs...)
}

// handler adapts a function to ipc.Server.
type handler func(ctx *ipc.Ctx, req *ipc.Message) ipc.Message

func (h handler) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message { return h(ctx, req) }

// testServer answers tPing with the request's payload, tFail with EINVAL,
// tWho with its own endpoint, and panics on tCrash.
var testServer = handler(func(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	switch req.Type {
	case tPing:
		r := ipc.Reply(req)
		r.Payload = req.Payload
		return r
	case tWho:
		r := ipc.Reply(req)
		r.SetWord(0, uint64(ctx.Sys.Self()))
		return r
	case tCrash:
		panic("boom")
	}
	return ipc.ErrorReply(req, ipc.ErrInvalid)
})

// serve returns a body that serves name with srv.
func serve(name string, srv ipc.Server) func(ipc.Sys) {
	return func(sys ipc.Sys) { _ = ipc.Serve(sys, name, srv) }
}

// service returns the bus endpoint of name, as seen from a task.
func service(t testing.TB, sys ipc.Sys, name string) ipc.Endpoint {
	t.Helper()
	id, err := sys.Lookup(name)
	assert.NoError(t, err, "Lookup(%q)", name)
	return ipc.ServiceEndpoint(id)
}

// receiveAll receives messages from anyone into *got until Receive fails.
func receiveAll(got *[]ipc.Message) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		for {
			var m ipc.Message
			if sys.Receive(ipc.Any, &m) != nil {
				return
			}
			*got = append(*got, m)
		}
	}
}

// superviseInto returns a supervisor body that appends every death notice
// to *deaths, and counts the NotifyDeath notifications it got in *notes.
func superviseInto(deaths *[]ipc.Death, notes *int) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		if sys.Supervise() != nil {
			return
		}
		for {
			var m ipc.Message
			if sys.Receive(ipc.Any, &m) != nil {
				return
			}
			if m.Type != ipc.Notification || m.Word(0)&ipc.NotifyDeath == 0 {
				continue
			}
			*notes++
			for d, ok := sys.NextDeath(); ok; d, ok = sys.NextDeath() {
				*deaths = append(*deaths, d)
			}
		}
	}
}
