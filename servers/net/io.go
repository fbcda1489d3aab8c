package net

import (
	"net/netip"

	"github.com/mkos/mkos/internal/netstack"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Calls that wait. LECTURE: net-parking
//
// The stack never blocks: every socket call on it returns at once, EAGAIN
// when it would have to wait. A program's blocking Accept, Connect, recv
// or send is parked on its socket (a waiter) and the handler answers
// ipc.NoReply; after every event (a request, a timer, frames from the
// NIC) and the stack's barrier, settle tries each parked call again, in
// the order they came, and answers those that are done, as the pipe
// server answers its waiting reads. A non-blocking socket (or
// MSG_DONTWAIT) gets the EAGAIN (EINPROGRESS for a Connect) instead.

// waiter is a parked call: its caller and request, and for a send how
// many of its bytes are in the stack already.
type waiter struct {
	caller ipc.Endpoint
	req    ipc.Message
	done   int
}

// transfer serves Accept, RecvFrom, SendTo, Read and Write: it tries the
// call once, and parks it when it would wait on a blocking socket.
func (s *Server) transfer(ctx *ipc.Ctx, req *ipc.Message, hd *handle, c *call) ipc.Message {
	if n := req.Word(1); req.Type != netproto.Accept && n > ipc.MaxBulk {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	so := hd.s
	w := &waiter{caller: ctx.Caller, req: *req}
	if len(so.waiting) == 0 { // else it queues behind the older calls
		if rep, done := s.try(ctx, so, w); done {
			return rep
		}
	}
	if so.nonblock || flagsOf(req)&linux.MSG_DONTWAIT != 0 {
		return s.wouldBlock(req, w)
	}
	so.waiting = append(so.waiting, w)
	return ipc.Message{Type: ipc.NoReply}
}

// wouldBlock answers a non-blocking call that would wait: EAGAIN, or the
// bytes a send got in.
func (s *Server) wouldBlock(req *ipc.Message, w *waiter) ipc.Message {
	if w.done > 0 {
		return countReply(req, w.done)
	}
	return ipc.ErrorReply(req, linux.EAGAIN)
}

// flagsOf returns a call's send/recv flags (Word(2) of SendTo and
// RecvFrom; none for stream reads and writes).
func flagsOf(req *ipc.Message) uint64 {
	if req.Type == netproto.SendTo || req.Type == netproto.RecvFrom {
		return req.Word(2)
	}
	return 0
}

// try makes one attempt at w's call; done reports whether it is
// answered (rep), false when it must wait.
func (s *Server) try(ctx *ipc.Ctx, so *sock, w *waiter) (rep ipc.Message, done bool) {
	req := &w.req
	switch req.Type {
	case netproto.Accept:
		return s.tryAccept(ctx, so, w)
	case netproto.Connect:
		return s.tryConnect(so, req)
	case netproto.RecvFrom, streamproto.Read:
		return s.tryRecv(ctx, so, w)
	}
	return s.trySend(ctx, so, w)
}

// tryAccept takes a connection for w.
func (s *Server) tryAccept(ctx *ipc.Ctx, so *sock, w *waiter) (ipc.Message, bool) {
	req := &w.req
	if s.full() {
		return ipc.ErrorReply(req, linux.ENFILE), true
	}
	id, peer, e := s.st.Accept(so.id)
	if e == netstack.EAGAIN {
		return ipc.Message{}, false
	}
	if e != netstack.OK {
		return ipc.ErrorReply(req, errnoOf(e, netproto.Errnos)), true
	}
	ns := &sock{id: id, proto: so.proto, nonblock: req.Word(1)&linux.SOCK_NONBLOCK != 0}
	s.socks[id] = ns
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(s.newHandle(ctx, ns, w.caller, false)))
	netproto.PutAddr(&rep, netproto.AddrOff, peer)
	return rep, true
}

// tryConnect finishes a blocking Connect: done when the handshake ended,
// with the socket's pending error (none: connected).
func (s *Server) tryConnect(so *sock, req *ipc.Message) (ipc.Message, bool) {
	if s.st.Ready(so.id)&(netstack.EventOut|netstack.EventErr|netstack.EventHUp) == 0 {
		return ipc.Message{}, false
	}
	so.connecting = false
	if e := s.st.SockError(so.id); e != netstack.OK {
		return ipc.ErrorReply(req, errnoOf(e, netproto.Errnos)), true
	}
	if _, e := s.st.RemoteAddr(so.id); e != netstack.OK {
		return ipc.ErrorReply(req, linux.ECONNREFUSED), true
	}
	return ipc.Reply(req), true
}

// tryRecv receives into w's window.
func (s *Server) tryRecv(ctx *ipc.Ctx, so *sock, w *waiter) (ipc.Message, bool) {
	req := &w.req
	buf := make([]byte, req.Word(1))
	var n int
	var from netip.AddrPort
	var e netstack.Errno
	if flagsOf(req)&linux.MSG_PEEK != 0 {
		n, e = s.st.Peek(so.id, buf)
	} else {
		n, from, e = s.st.RecvFrom(so.id, buf)
	}
	switch {
	case e == netstack.EAGAIN && len(buf) > 0:
		return ipc.Message{}, false
	case e == netstack.EAGAIN:
		return countReply(req, 0), true
	case e != netstack.OK:
		return ipc.ErrorReply(req, errnoOf(e, setOf(req))), true
	}
	if got, err := ctx.Sys.CopyOut(w.caller, 0, buf[:n]); err != nil || got < n {
		return ipc.ErrorReply(req, linux.EFAULT), true // the bytes are lost, as with a bad buffer on Linux
	}
	rep := countReply(req, n)
	if req.Type == netproto.RecvFrom && so.proto != netstack.TCP {
		netproto.PutAddr(&rep, netproto.AddrOff, from)
	}
	return rep, true
}

// trySend sends what it can of w's bytes: a stream send is done when all
// are in the stack, a datagram at once.
func (s *Server) trySend(ctx *ipc.Ctx, so *sock, w *waiter) (ipc.Message, bool) {
	req := &w.req
	n := int(req.Word(1))
	var to netip.AddrPort
	if req.Type == netproto.SendTo {
		a, err := netproto.GetAddr(req, netproto.SendAddrOff)
		if err != nil {
			return ipc.ErrorReply(req, linux.EINVAL), true
		}
		to = a
	}
	for w.done < n || n == 0 {
		buf := make([]byte, n-w.done)
		got, err := ctx.Sys.CopyIn(w.caller, w.done, buf)
		if err != nil {
			return s.sendEnd(req, w, linux.EFAULT), true
		}
		var k int
		var e netstack.Errno
		if to.Addr().IsValid() && so.proto != netstack.TCP {
			k, e = s.st.SendTo(so.id, buf[:got], to)
		} else {
			k, e = s.st.Send(so.id, buf[:got])
		}
		switch {
		case e == netstack.EAGAIN:
			return ipc.Message{}, false
		case e != netstack.OK:
			return s.sendEnd(req, w, errnoOf(e, setOf(req))), true
		case so.proto != netstack.TCP || n == 0:
			return countReply(req, k), true // a datagram: all or nothing
		case k == 0:
			return ipc.Message{}, false
		}
		w.done += k
	}
	return countReply(req, w.done), true
}

// sendEnd answers a send that failed: the count it got in, if any, else
// the error.
func (s *Server) sendEnd(req *ipc.Message, w *waiter, e ipc.Errno) ipc.Message {
	if w.done > 0 {
		return countReply(req, w.done)
	}
	return ipc.ErrorReply(req, e)
}

// countReply is a reply with a byte count in Word(0).
func countReply(req *ipc.Message, n int) ipc.Message {
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(n))
	return rep
}

// pump tries every parked call again, socket by socket in the order they
// were made, oldest call first, and answers those that are done. It
// reports whether it answered any.
func (s *Server) pump(ctx *ipc.Ctx, c *call) bool {
	moved := false
	for _, so := range s.waitingSocks() {
		for len(so.waiting) > 0 {
			w := so.waiting[0]
			rep, done := s.try(ctx, so, w)
			if !done {
				break
			}
			so.waiting = so.waiting[1:]
			answer(ctx, c, w.caller, rep)
			moved = true
		}
	}
	return moved
}

// waitingSocks returns the sockets with parked calls, in handle order.
func (s *Server) waitingSocks() []*sock {
	var out []*sock
	for _, id := range sortedKeys(s.socks) {
		if so := s.socks[id]; len(so.waiting) > 0 {
			out = append(out, so)
		}
	}
	return out
}

// ready answers Ready: the stack's readiness of the socket, as poll's
// bits; a socket with parked calls is not ready for what they wait for.
func (s *Server) ready(so *sock) uint64 {
	ev := s.st.Ready(so.id)
	var bits uint64
	if ev&netstack.EventIn != 0 {
		bits |= linux.POLLIN
	}
	if ev&netstack.EventOut != 0 && !so.connecting {
		bits |= linux.POLLOUT
	}
	if ev&netstack.EventErr != 0 {
		bits |= linux.POLLERR
	}
	if ev&netstack.EventHUp != 0 {
		bits |= linux.POLLHUP
	}
	return bits
}

// readyArm answers Ready, arming h for its caller when the request asks
// to and nothing it waits for is ready (streamproto.Pollers).
func (s *Server) readyArm(req *ipc.Message, h netproto.Handle, hd *handle, caller ipc.Endpoint) ipc.Message {
	events, arm, ok := streamproto.ReadyArmEvents(req.Word(1))
	if !ok {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	bits := s.ready(hd.s)
	rep := ipc.Reply(req)
	rep.SetWord(0, bits)
	if arm && bits&(events|linux.POLLERR|linux.POLLHUP) == 0 && caller != ipc.KernelEndpoint &&
		s.pollers.Arm(caller, streamproto.Handle(h), events) {
		rep.SetWord(1, streamproto.ReadyArmed)
	}
	return rep
}

// handleReady is the readiness of handle h for the pollers; ok is false
// when h is closed.
func (s *Server) handleReady(h streamproto.Handle) (uint64, bool) {
	hd := s.handles[netproto.Handle(h)]
	if hd == nil {
		return 0, false
	}
	return s.ready(hd.s), true
}

// Pollers returns how many Ready requests are armed, for tests.
func (s *Server) Pollers() int { return s.pollers.Len() }

// setOf is the errno set a reply to req must stay in: the stream
// protocol's for Read and Write, the net protocol's for the rest.
func setOf(req *ipc.Message) ipc.Errnos {
	if req.Type == streamproto.Read || req.Type == streamproto.Write {
		return streamproto.Errnos
	}
	return netproto.Errnos
}

// errnoOf converts the stack's errno into one of set: EIO for one the
// protocol does not document (a stack error no socket call should give).
func errnoOf(e netstack.Errno, set ipc.Errnos) ipc.Errno {
	errno := ipc.Errno(e)
	if set == nil {
		set = netproto.Errnos
	}
	if e == netstack.EHOSTDOWN {
		errno = linux.EHOSTUNREACH // as the protocol documents it
	}
	if !set.Has(errno) {
		return linux.EIO
	}
	return errno
}
