package rs

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
)

// The restart log as a request/stream (rsproto.LogStream): rs emits two
// frames per entry as the client's credit allows and never blocks on a
// client. It goes on when the client grants credit (NotifyBus) and, for a
// follower, when a new entry is recorded. A follower that falls more than
// MaxLog entries behind skips the ones rs no longer holds.

// follower is a log stream being served; next is the absolute number of
// the next entry to send, half that its head frame went out already.
type follower struct {
	srv    ipc.StreamServer
	next   int64
	half   bool
	follow bool
}

// logStream serves LogStream: accept, then emit what the credit allows.
func (s *Server) logStream(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	srv, err := ipc.AcceptStream(ctx.Sys, ipc.StreamID(req.Word(0)))
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	s.followers = append(s.followers, &follower{srv: srv, next: s.logTotal - int64(len(s.log)), follow: req.Word(1) == 1})
	s.pumpLog()
	return ipc.Reply(req)
}

// pumpLog runs every log stream on and drops the finished ones.
func (s *Server) pumpLog() {
	kept := s.followers[:0]
	for _, f := range s.followers {
		if s.pumpOne(f) {
			kept = append(kept, f)
		}
	}
	clear(s.followers[len(kept):])
	s.followers = kept
}

// pumpOne emits f's frames while it has credit; it reports whether the
// stream goes on.
func (s *Server) pumpOne(f *follower) bool {
	base := s.logTotal - int64(len(s.log))
	if f.next < base {
		f.next, f.half = base, false // fell behind: those entries are gone
	}
	for f.next < s.logTotal {
		head, text := rsproto.LogFrames(s.log[f.next-base])
		m := &head
		if f.half {
			m = &text
		}
		if err := f.srv.Emit(m, false); err != nil {
			return errors.Is(err, linux.EAGAIN)
		}
		if f.half {
			f.next++
		}
		f.half = !f.half
	}
	if f.follow {
		return true
	}
	_ = f.srv.End(0)
	return false
}
