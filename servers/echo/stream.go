package echo

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/linux"
)

// Streams: echo serves request/streams (echoproto.Stream) the way a server
// that must never block does. It accepts the stream and emits as many
// frames as the client's credit allows; when the credit runs out (EAGAIN)
// it keeps the stream and goes back to its loop, and the client's next
// grant notifies it (ipc.NotifyBus): Notified emits the next frames. A
// stream leaves the list at its end frame, or when the client cancelled
// or died (ECANCELED, EBADF).

// pump is a stream being served: frames next..n are still to go.
type pump struct {
	srv     ipc.StreamServer
	next, n uint64
}

// stream serves echoproto.Stream.
func (s *Server) stream(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	n := req.Word(1)
	if n > echoproto.MaxFrames {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	srv, err := ipc.AcceptStream(ctx.Sys, ipc.StreamID(req.Word(0)))
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	s.pumps = append(s.pumps, &pump{srv: srv, next: 1, n: n})
	s.pumpAll()
	return ipc.Reply(req)
}

// BusNotified runs the streams on: a client granted credit or cancelled.
func (s *Server) BusNotified(*ipc.Ctx) { s.pumpAll() }

// pumpAll emits what each stream's credit allows and drops the finished.
func (s *Server) pumpAll() {
	kept := s.pumps[:0]
	for _, p := range s.pumps {
		if p.run() {
			kept = append(kept, p)
		}
	}
	clear(s.pumps[len(kept):])
	s.pumps = kept
}

// run emits frames until the credit runs out or the stream ends; it
// reports whether the stream goes on.
func (p *pump) run() bool {
	for ; p.next <= p.n; p.next++ {
		var m ipc.Message
		m.SetWord(0, p.next)
		m.SetWord(1, p.n)
		if err := p.srv.Emit(&m, false); err != nil {
			return errors.Is(err, linux.EAGAIN)
		}
	}
	_ = p.srv.End(0)
	return false
}
