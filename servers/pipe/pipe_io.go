package pipe

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Reads and writes. LECTURE: pipe
//
// Every read and write joins its end's queue of waiters, and pump moves
// what can move: writers' bytes into the buffer (the oldest writer first,
// a small write only whole), the buffer's bytes to readers (the oldest
// first), end of file to readers when no writer is left, EPIPE to writers
// when no reader is. A waiter that pump does not finish stays: the
// handler answers ipc.NoReply, and pump answers it later, when a read,
// write or close of another task makes room, data or an end.

// transfer serves Read and Write.
func (s *Server) transfer(ctx *ipc.Ctx, req *ipc.Message, c *call) ipc.Message {
	write := req.Type == streamproto.Write
	e, ok := s.handles[streamproto.Handle(req.Word(0))]
	n := req.Word(1)
	switch {
	case !ok || e.write != write:
		return ipc.ErrorReply(req, linux.EBADF)
	case n > ipc.MaxBulk:
		return ipc.ErrorReply(req, linux.EINVAL)
	case n == 0:
		return ipc.Reply(req)
	case write && e.p.readers == 0:
		return ipc.ErrorReply(req, linux.EPIPE)
	}
	p, w := e.p, &waiter{caller: ctx.Caller, n: int(n)}
	if write {
		p.wwait = append(p.wwait, w)
	} else {
		p.rwait = append(p.rwait, w)
	}
	s.pump(ctx, p, c)
	return ipc.Message{Type: ipc.NoReply}
}

// pump moves bytes, ends of file and EPIPEs until nothing more can move.
func (s *Server) pump(ctx *ipc.Ctx, p *pipe, c *call) {
	for moved := true; moved; {
		moved = s.pumpWriters(ctx, p, c)
		for len(p.rwait) > 0 && (p.buf.n > 0 || p.writers == 0) {
			r := p.rwait[0]
			p.rwait = p.rwait[1:]
			if k, ok := s.drain(ctx, p, r); ok {
				answer(ctx, c, r.caller, streamproto.Read, k, 0)
				moved = moved || k > 0
			}
		}
	}
}

// pumpWriters moves waiting writers' bytes into the buffer, oldest first,
// and answers the writers that are done or have no reader left. It
// reports whether anything changed.
func (s *Server) pumpWriters(ctx *ipc.Ctx, p *pipe, c *call) bool {
	moved := false
	for len(p.wwait) > 0 {
		w := p.wwait[0]
		if p.readers == 0 {
			p.wwait = p.wwait[1:]
			if w.done > 0 {
				answer(ctx, c, w.caller, streamproto.Write, w.done, 0)
			} else {
				answer(ctx, c, w.caller, streamproto.Write, 0, linux.EPIPE)
			}
			moved = true
			continue
		}
		before := w.done
		ok := s.fill(ctx, p, w)
		if !ok || w.done == w.n {
			p.wwait = p.wwait[1:]
			if ok {
				answer(ctx, c, w.caller, streamproto.Write, w.done, 0)
			}
			moved = true
			continue
		}
		if w.done == before {
			break // the buffer is full
		}
		moved = true
	}
	return moved
}

// fill copies what fits of w's bytes from its send window into the
// buffer; a write of at most PipeBuf bytes goes in whole or not at all. It
// reports false when the writer is gone (its window cannot be read).
func (s *Server) fill(ctx *ipc.Ctx, p *pipe, w *waiter) bool {
	want := w.n - w.done
	if w.done == 0 && want <= streamproto.PipeBuf && p.buf.free() < want {
		return true
	}
	k := min(want, p.buf.free())
	for _, span := range p.buf.freeSpans(k) {
		got, err := ctx.Sys.CopyIn(w.caller, w.done, span)
		if err != nil {
			return false
		}
		p.buf.produce(got)
		w.done += got
		if got < len(span) {
			w.n = w.done // the window is shorter than the write said
			break
		}
	}
	return true
}

// drain copies up to r.n buffered bytes into r's receive window and takes
// them from the buffer. It reports false, taking nothing, when the reader
// is gone.
func (s *Server) drain(ctx *ipc.Ctx, p *pipe, r *waiter) (int, bool) {
	off := 0
	for _, span := range p.buf.dataSpans(min(r.n, p.buf.n)) {
		got, err := ctx.Sys.CopyOut(r.caller, off, span)
		if err != nil {
			return 0, false
		}
		off += got
	}
	p.buf.consume(off)
	return off, true
}

// answer replies to a waiter: through Handle's return value when it is
// the caller being served, else with Sys.Reply (which fails, and is
// ignored, when the caller is gone).
func answer(ctx *ipc.Ctx, c *call, to ipc.Endpoint, t ipc.Type, count int, e ipc.Errno) {
	rep := ipc.Message{Type: t, Errno: uint16(e)}
	rep.SetWord(0, uint64(count))
	if to == c.caller && !c.answered {
		c.rep, c.answered = rep, true
		return
	}
	_ = ctx.Sys.Reply(to, &rep)
}
