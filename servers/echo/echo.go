package echo

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/linux"
)

// Server is the echo server. Its one piece of state is the number of
// requests it echoed: a restart loses it, a live update keeps it
// (state.go).
type Server struct {
	buf    []byte
	served uint64
}

// New returns an echo server.
func New() ipc.Server { return &Server{} }

// Handle serves one echo request.
func (s *Server) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	switch req.Type {
	case echoproto.Echo:
		return s.echo(ctx, req)
	case echoproto.Crash:
		panic("echo: crash requested by " + req.Source.String())
	case echoproto.Count:
		rep := ipc.Reply(req)
		rep.SetWord(0, s.served)
		return rep
	}
	return ipc.ErrorReply(req, linux.ENOSYS)
}

func (s *Server) echo(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	s.served++
	rep := ipc.Reply(req)
	if req.Len > 0 || req.Word(0) == 0 {
		rep.Len, rep.Payload = req.Len, req.Payload
		return rep
	}
	if req.Word(0) > ipc.MaxBulk {
		return ipc.ErrorReply(req, linux.EMSGSIZE)
	}
	n := int(req.Word(0))
	if cap(s.buf) < n {
		s.buf = make([]byte, n)
	}
	got, err := ctx.CopyIn(0, s.buf[:n])
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	put, err := ctx.CopyOut(0, s.buf[:got])
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	rep.SetWord(0, uint64(put))
	return rep
}
