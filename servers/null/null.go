package null

import "github.com/mkos/mkos/ipc"

// Server is the null server.
type Server struct{}

// New returns a null server.
func New() ipc.Server { return Server{} }

// Handle answers every request with an empty success.
func (Server) Handle(_ *ipc.Ctx, req *ipc.Message) ipc.Message { return ipc.Reply(req) }
