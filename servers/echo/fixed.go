package echo

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/linux"
)

// Fixed is echo2, the echo server with its bug fixed: it refuses the
// Crash request (EPERM) instead of panicking, and echoes like Server.
// `svc replace echo echo2` swaps it in while clients run.
type Fixed struct{ Server }

// NewFixed returns echo2.
func NewFixed() ipc.Server { return &Fixed{} }

// Handle serves one echo request.
func (f *Fixed) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if req.Type == echoproto.Crash {
		return ipc.ErrorReply(req, linux.EPERM)
	}
	return f.Server.Handle(ctx, req)
}
