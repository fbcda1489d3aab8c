package net

import (
	"slices"

	"github.com/mkos/mkos/internal/netstack"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Handles. LECTURE: net-handles
//
// A program names a socket by a handle: 64 bits made of the server's tag
// ("ne"), the instance's epoch, a sequence number and 16 bits from the
// kernel's generator, so that a handle cannot be guessed from another's.
// Several handles may name one socket (Dup, for a child's inherited
// descriptor); the socket is closed in the stack when its last handle
// is. A handle belongs to the tasks that hold it (exit.go): anyone else
// who names it gets EBADF. A handle of a previous instance (same tag,
// another epoch) names a socket that died with that instance: it is
// refused as the protocol documents (refuse).

// handleTag marks the net server's handles ("ne").
const handleTag = 0x6e65

// sock is one socket of the stack and what the server keeps for it.
type sock struct {
	id       netstack.Sock
	proto    netstack.Proto
	nonblock bool
	refs     int // handles open on it
	// waiting are the calls parked on it, oldest first (io.go).
	waiting []*waiter
	// connecting: a blocking Connect is under way.
	connecting bool
}

// handle is an open handle: its socket and the tasks that hold it.
type handle struct {
	s *sock
	// users hold the handle: its maker, and every task that has used it
	// since. made: only the maker holds it, and has not used it.
	users []ipc.Endpoint
	made  bool
}

// newHandle opens a handle on so for task, made for someone else (a Dup
// for a child) when made is set.
func (s *Server) newHandle(ctx *ipc.Ctx, so *sock, task ipc.Endpoint, made bool) netproto.Handle {
	s.seq++
	h := netproto.Handle(handleTag<<48 | (s.epoch&0xff)<<40 | (s.seq&0xffffff)<<16 | ctx.Sys.Rand()&0xffff)
	s.handles[h] = &handle{s: so, users: []ipc.Endpoint{task}, made: made}
	s.held.Hold(h, task)
	so.refs++
	return h
}

// full reports whether no handle may be opened.
func (s *Server) full() bool { return len(s.handles) >= s.cfg.MaxSockets }

// lookup returns the handle h for caller: EBADF when it is unknown or
// another task's.
func (s *Server) lookup(h netproto.Handle, caller ipc.Endpoint) (*handle, ipc.Errno) {
	hd, ok := s.handles[h]
	if !ok {
		return nil, linux.EBADF
	}
	if !hd.made && !slices.Contains(hd.users, caller) && caller != ipc.KernelEndpoint {
		return nil, linux.EBADF
	}
	return hd, 0
}

// stale reports whether h is a handle of a previous instance.
func (s *Server) stale(h netproto.Handle) bool {
	return uint64(h)>>48 == handleTag && (uint64(h)>>40)&0xff != s.epoch&0xff
}

// refuse answers a request on a handle lookup refused. A previous
// instance's socket died with it: a read sees ECONNRESET, a write EPIPE,
// Accept ECONNABORTED (listen again), Ready an error and a hang-up,
// Close succeeds, anything else ENOTCONN.
func (s *Server) refuse(req *ipc.Message, h netproto.Handle, e ipc.Errno) ipc.Message {
	if !s.stale(h) {
		return ipc.ErrorReply(req, e)
	}
	switch req.Type {
	case streamproto.Read, netproto.RecvFrom:
		return ipc.ErrorReply(req, linux.ECONNRESET)
	case streamproto.Write, netproto.SendTo:
		return ipc.ErrorReply(req, linux.EPIPE)
	case netproto.Accept:
		return ipc.ErrorReply(req, linux.ECONNABORTED)
	case streamproto.Close:
		return ipc.Reply(req)
	case streamproto.Ready:
		rep := ipc.Reply(req)
		rep.SetWord(0, linux.POLLERR|linux.POLLHUP)
		return rep
	case streamproto.Dup:
		return ipc.ErrorReply(req, linux.EBADF)
	}
	return ipc.ErrorReply(req, linux.ENOTCONN)
}

// socket serves Socket.
func (s *Server) socket(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	domain, typ, proto := req.Word(0), req.Word(1), req.Word(2)
	var fam netstack.Family
	switch domain {
	case linux.AF_INET:
		fam = netstack.IPv4
	case linux.AF_INET6:
		fam = netstack.IPv6
	default:
		return ipc.ErrorReply(req, linux.EAFNOSUPPORT)
	}
	if typ&^uint64(linux.SOCK_TYPE_MASK|linux.SOCK_NONBLOCK|linux.SOCK_CLOEXEC) != 0 {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	p, e := protoOf(typ&linux.SOCK_TYPE_MASK, proto)
	if e != 0 {
		return ipc.ErrorReply(req, e)
	}
	if s.full() {
		return ipc.ErrorReply(req, linux.ENFILE)
	}
	id, errno := s.st.Socket(fam, p)
	if errno != netstack.OK {
		return ipc.ErrorReply(req, errnoOf(errno, nil))
	}
	so := &sock{id: id, proto: p, nonblock: typ&linux.SOCK_NONBLOCK != 0}
	s.socks[id] = so
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(s.newHandle(ctx, so, ctx.Caller, false)))
	return rep
}

// protoOf picks the transport for socket(2)'s type and protocol.
func protoOf(typ, proto uint64) (netstack.Proto, ipc.Errno) {
	switch {
	case typ == linux.SOCK_STREAM && (proto == 0 || proto == linux.IPPROTO_TCP):
		return netstack.TCP, 0
	case typ == linux.SOCK_DGRAM && (proto == 0 || proto == linux.IPPROTO_UDP):
		return netstack.UDP, 0
	case typ == linux.SOCK_DGRAM && (proto == linux.IPPROTO_ICMP || proto == linux.IPPROTO_ICMPV6):
		return netstack.ICMP, 0
	case typ == linux.SOCK_STREAM || typ == linux.SOCK_DGRAM:
		return 0, linux.EPROTONOSUPPORT
	}
	return 0, linux.ESOCKTNOSUPPORT
}

// dup serves Dup: another handle on the same socket, made for another
// task (a child that inherits it).
func (s *Server) dup(ctx *ipc.Ctx, req *ipc.Message, hd *handle) ipc.Message {
	if s.full() {
		return ipc.ErrorReply(req, linux.ENFILE)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(s.newHandle(ctx, hd.s, ctx.Caller, true)))
	return rep
}

// closeHandle closes handle h; the last handle on a socket closes it in
// the stack and fails the calls still parked on it with EBADF.
func (s *Server) closeHandle(ctx *ipc.Ctx, h netproto.Handle, hd *handle, c *call) {
	delete(s.handles, h)
	for _, u := range hd.users {
		s.held.Unhold(h, u)
	}
	so := hd.s
	if so.refs--; so.refs > 0 {
		return
	}
	for _, w := range so.waiting {
		answer(ctx, c, w.caller, ipc.Message{Type: w.req.Type, Errno: uint16(linux.EBADF)})
	}
	so.waiting = nil
	delete(s.socks, so.id)
	s.st.Close(so.id)
}
