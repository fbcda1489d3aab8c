package stubdisk

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/bdev"
)

// Server serves diskproto requests on Dev.
type Server struct {
	Dev bdev.BlockDev
	// Kind is what Info reports (default "mem").
	Kind string
	// Hook, when set, runs before every write request with the request's
	// first block and count; an error fails the request.
	Hook func(ctx *ipc.Ctx, block int64, count int) error
	// LatencyNs, when positive, makes every request take that much
	// virtual time (the server sleeps): callers wait, and others run.
	LatencyNs int64

	requests int64
	buf      []byte
}

// New returns a disk server over dev.
func New(dev bdev.BlockDev) *Server { return &Server{Dev: dev} }

// Handle serves one disk request.
func (s *Server) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	s.requests++
	if s.buf == nil {
		s.buf = make([]byte, ipc.MaxBulk)
	}
	if s.LatencyNs > 0 {
		ctx.Sys.Sleep(s.LatencyNs)
	}
	var err error
	rep := ipc.Reply(req)
	switch req.Type {
	case diskproto.Read, diskproto.Write:
		err = s.transfer(ctx, req)
	case diskproto.Flush:
		err = s.Dev.Flush()
	case diskproto.Info:
		rep.SetWord(0, uint64(s.Dev.BlockSize()))
		rep.SetWord(1, uint64(s.Dev.Blocks()))
		kind := s.Kind
		if kind == "" {
			kind = "mem"
		}
		copy(rep.Payload[16:], kind)
	case diskproto.Stats:
		rep.SetWord(0, uint64(s.requests))
	default:
		err = linux.ENOSYS
	}
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	return rep
}

// transfer moves the blocks of a read or a write through the caller's
// bulk window.
func (s *Server) transfer(ctx *ipc.Ctx, req *ipc.Message) error {
	block, count := int64(req.Word(0)), int(req.Word(1))
	n := count * s.Dev.BlockSize()
	if count <= 0 || n > len(s.buf) {
		return linux.EINVAL
	}
	b := s.buf[:n]
	if req.Type == diskproto.Read {
		if err := s.Dev.ReadBlocks(block, b); err != nil {
			return err
		}
		_, err := ctx.CopyOut(0, b)
		return err
	}
	if got, err := ctx.CopyIn(0, b); err != nil || got < n {
		return orFault(err)
	}
	if s.Hook != nil {
		if err := s.Hook(ctx, block, count); err != nil {
			return err
		}
	}
	return s.Dev.WriteBlocks(block, b)
}

func orFault(err error) error {
	if err != nil {
		return err
	}
	return linux.EFAULT
}
