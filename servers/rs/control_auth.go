package rs

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
)

// Who may change the system. Listing services and the restart log is for
// everyone; restarting, stopping, replacing a service or arming a fault in
// it is for root only, as the caller's credentials in the kernel say
// (never what the request says).

// mayControl returns EPERM unless the caller acts for root.
func (s *Server) mayControl(ctx *ipc.Ctx) ipc.Errno {
	if ctx.Caller == ipc.KernelEndpoint {
		return 0 // code placed in the kernel
	}
	c, err := ctx.Sys.Cred(ctx.Caller)
	if err != nil {
		return ipc.ErrnoOf(err)
	}
	if !c.IsRoot() {
		return linux.EPERM
	}
	return 0
}

// inject serves Inject: rs arms the fault with its own privilege, for a
// root caller, in a service on the bus (rs itself included).
func (s *Server) inject(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	name, kind, param, err := rsproto.ParseInject(req)
	if err != nil {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	if e := s.mayControl(ctx); e != 0 {
		return ipc.ErrorReply(req, e)
	}
	if err := s.sys.Inject(name, kind, param); err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	return ipc.Reply(req)
}
