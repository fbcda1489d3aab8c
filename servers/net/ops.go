package net

import (
	"github.com/mkos/mkos/internal/netstack"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
)

// The socket calls that answer at once (and Connect, which may wait).

// address serves Bind and Connect: the address at AddrOff.
func (s *Server) address(ctx *ipc.Ctx, req *ipc.Message, hd *handle, c *call) ipc.Message {
	a, err := netproto.GetAddr(req, netproto.AddrOff)
	if err != nil || !a.Addr().IsValid() {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	so := hd.s
	if req.Type == netproto.Bind {
		return s.reply(req, s.st.Bind(so.id, a))
	}
	if so.connecting {
		return ipc.ErrorReply(req, linux.EALREADY)
	}
	e := s.st.Connect(so.id, a)
	if e != netstack.EINPROGRESS || so.proto != netstack.TCP {
		return s.reply(req, e)
	}
	if so.nonblock {
		return ipc.ErrorReply(req, linux.EINPROGRESS)
	}
	so.connecting = true
	w := &waiter{caller: ctx.Caller, req: *req}
	if rep, done := s.tryConnect(so, req); done {
		return rep
	}
	so.waiting = append(so.waiting, w)
	return ipc.Message{Type: ipc.NoReply}
}

// listen serves Listen.
func (s *Server) listen(req *ipc.Message, hd *handle) ipc.Message {
	backlog := min(req.Word(1), 4096)
	return s.reply(req, s.st.Listen(hd.s.id, int(backlog)))
}

// shutdown serves Shutdown.
func (s *Server) shutdown(req *ipc.Message, hd *handle) ipc.Message {
	how := req.Word(1)
	if how > linux.SHUT_RDWR {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	return s.reply(req, s.st.Shutdown(hd.s.id, netstack.How(how)))
}

// name serves SockName and PeerName.
func (s *Server) name(req *ipc.Message, hd *handle) ipc.Message {
	get := s.st.LocalAddr
	if req.Type == netproto.PeerName {
		get = s.st.RemoteAddr
	}
	a, e := get(hd.s.id)
	if e != netstack.OK {
		return ipc.ErrorReply(req, errnoOf(e, netproto.Errnos))
	}
	rep := ipc.Reply(req)
	netproto.PutAddr(&rep, netproto.AddrOff, a)
	return rep
}

// setFlags serves SetFlags: O_NONBLOCK on or off.
func (s *Server) setFlags(req *ipc.Message, hd *handle) ipc.Message {
	flags := req.Word(1)
	if flags&^linux.O_NONBLOCK != 0 {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	rep := ipc.Reply(req)
	if hd.s.nonblock {
		rep.SetWord(0, linux.O_NONBLOCK)
	}
	hd.s.nonblock = flags != 0
	return rep
}

// reply is the reply to a call the stack answered with e.
func (s *Server) reply(req *ipc.Message, e netstack.Errno) ipc.Message {
	if e != netstack.OK {
		return ipc.ErrorReply(req, errnoOf(e, netproto.Errnos))
	}
	return ipc.Reply(req)
}
