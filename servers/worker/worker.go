package worker

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/workerproto"
)

// Server is the worker. It keeps no state.
type Server struct{}

// New returns a worker.
func New() ipc.Server { return Server{} }

// Handle serves one workerproto request.
func (Server) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if req.Type != workerproto.Work {
		return ipc.ErrorReply(req, linux.ENOSYS)
	}
	ns := req.Word(0)
	if ns > workerproto.MaxWorkNs {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	ctx.Sys.Compute(int64(ns))
	return ipc.Reply(req)
}
