package gateway

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/gatewayproto"
)

// outbound sends a local caller's request for service name over the wire
// and parks the caller until the answer comes (answer) or its deadline
// passes (expire).
func (s *Server) outbound(ctx *ipc.Ctx, name string, req *ipc.Message) ipc.Message {
	send, windowed := s.copyIn(ctx)
	recvLen := 0
	if windowed {
		recvLen = recvWindow(ctx)
	}
	now := ctx.Sys.Now()
	s.seq++
	q := gatewayproto.Request{
		Header:    gatewayproto.Header{Seq: s.seq, SentNs: now, From: s.link.Node()},
		TimeoutNs: s.opt.TimeoutNs, Service: name, Send: send, RecvLen: uint32(recvLen),
	}
	q.Msg.Type, q.Msg.Len, q.Msg.Payload = req.Type, req.Len, req.Payload
	s.frame = gatewayproto.AppendRequest(s.frame[:0], &q)
	if err := s.link.Request(name, s.seq, s.frame, now); err != nil {
		return ipc.ErrorReply(req, ipc.ErrNoInstance)
	}
	s.stats.Out++
	s.pending[s.seq] = &pending{caller: ctx.Caller, service: name, typ: req.Type, recvLen: recvLen, deadlineNs: now + s.opt.TimeoutNs}
	s.arm(ctx)
	return ipc.Message{Type: ipc.NoReply}
}

// copyIn reads the caller's send window, up to MaxWindow bytes; windowed
// says the call has a window at all.
func (s *Server) copyIn(ctx *ipc.Ctx) (send []byte, windowed bool) {
	if cap(s.buf) < gatewayproto.MaxWindow {
		s.buf = make([]byte, gatewayproto.MaxWindow)
	}
	n := 0
	for n < gatewayproto.MaxWindow {
		got, err := ctx.CopyIn(n, s.buf[n:n+ipc.MaxBulk])
		if err != nil {
			return s.buf[:n], n > 0
		}
		windowed = true
		n += got
		if got < ipc.MaxBulk {
			break
		}
	}
	return s.buf[:n], windowed
}

// recvWindow finds the size of the caller's receive window (up to
// MaxWindow): the largest offset at which an empty CopyOut succeeds.
func recvWindow(ctx *ipc.Ctx) int {
	lo, hi := 0, gatewayproto.MaxWindow // lo succeeds; hi+1 fails
	if _, err := ctx.CopyOut(hi, nil); err == nil {
		return hi
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if _, err := ctx.CopyOut(mid, nil); err == nil {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// answer replies to the caller parked for request seq with the Reply
// frame that came back, its receive window copied out first.
func (s *Server) answer(ctx *ipc.Ctx, frame []byte, seq uint64) {
	p := s.pending[seq]
	if p == nil {
		return // late (it timed out) or forged
	}
	delete(s.pending, seq)
	rep := ipc.Message{Type: p.typ}
	r, err := gatewayproto.DecodeReply(frame, p.recvLen)
	if p.move != nil {
		e := ipc.ErrBadReply
		if err == nil {
			e = ipc.Errno(r.Errno)
		}
		rep.Errno = uint16(s.finishMove(ctx, p, e))
		_ = ctx.Sys.Reply(p.caller, &rep)
		return
	}
	switch {
	case err != nil:
		s.stats.BadFrames++
		rep.Errno = uint16(ipc.ErrBadReply)
	default:
		rep.Type, rep.Len, rep.Payload, rep.Errno = r.Msg.Type, r.Msg.Len, r.Msg.Payload, r.Errno
		if len(r.Recv) > 0 {
			if _, err := ctx.Sys.CopyOut(p.caller, 0, r.Recv); err != nil {
				rep = ipc.Message{Type: p.typ, Errno: uint16(ipc.ErrnoOf(err))}
			}
		}
	}
	_ = ctx.Sys.Reply(p.caller, &rep)
}
