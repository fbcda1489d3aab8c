package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel"
)

// tFlush makes queuer serve the stream requests it queued.
const tFlush ipc.Type = 101

// queuer is an in-kernel service that queues stream requests (NoReply,
// as the file server does while busy) and serves them from a later
// caller's trap (tFlush): it accepts each stream there, emits one frame,
// ends it and replies. other is a stream whose client is not calling it.
type queuer struct {
	queue []ipc.Message
	other *ipc.StreamID
	errs  []error
}

func (q *queuer) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if req.Type == tStream {
		q.queue = append(q.queue, *req)
		return ipc.Message{Type: ipc.NoReply}
	}
	_, err := ipc.AcceptStream(ctx.Sys, *q.other)
	q.errs = append(q.errs, err)
	for _, m := range q.queue {
		srv, err := ipc.AcceptStream(ctx.Sys, ipc.StreamID(m.Word(0)))
		q.errs = append(q.errs, err)
		q.errs = append(q.errs, srv.Emit(word(tPing, 7), false))
		q.errs = append(q.errs, srv.End(0))
		rep := ipc.Reply(&m)
		q.errs = append(q.errs, ctx.Sys.Reply(m.Source, &rep))
	}
	q.queue = nil
	return ipc.Reply(req)
}

// A service placed in the kernel may accept the stream of a call it
// queued (NoReply) while serving another caller's trap: the stream's
// client is blocked on it. A stream whose client calls nobody stays
// refused (EPERM).
func TestStreamAcceptedFromAnotherTrap(t *testing.T) {
	k := boot(t, kernel.Config{})
	var other ipc.StreamID
	q := &queuer{other: &other}
	_, err := k.Place("qs", q)
	require.NoError(t, err)
	var frame uint64
	var end bool
	var endErr, callErr error
	spawn(t, k, "idle", func(sys ipc.Sys) {
		s, err := ipc.OpenStream(sys, 1)
		require.NoError(t, err)
		other = s.ID
		_ = sys.Sleep(100_000)
	})
	spawn(t, k, "client", func(sys ipc.Sys) {
		s, err := ipc.OpenStream(sys, 1)
		require.NoError(t, err)
		var rep ipc.Message
		callErr = sys.Call(service(t, sys, "qs"), word(tStream, uint64(s.ID)), &rep)
		var m ipc.Message
		_, err = s.Recv(&m)
		assert.NoError(t, err)
		frame = m.Word(0)
		end, endErr = s.Recv(&m)
	})
	spawn(t, k, "flusher", func(sys ipc.Sys) {
		_ = sys.Sleep(10_000)
		var rep ipc.Message
		assert.NoError(t, sys.Call(service(t, sys, "qs"), word(tFlush, 0), &rep))
	})
	run(t, k)
	require.NoError(t, callErr, "the queued Call")
	assert.Equal(t, []error{linux.EPERM, nil, nil, nil, nil}, q.errs, "accept other, accept, emit, end, reply")
	assert.Equal(t, uint64(7), frame, "the frame")
	assert.True(t, end, "the end frame")
	assert.NoError(t, endErr)
}
