package memdev

import (
	"math/rand/v2"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Options configure the memory devices.
type Options struct {
	// Seed seeds random; 0 draws the seed from Sys.Rand on first use.
	Seed uint64
}

// Server is the memory devices' server.
type Server struct {
	opt   Options
	rng   *rand.Rand // random's generator, made on first use
	seq   uint64     // numbers handles
	zeros []byte
	buf   []byte
}

// New returns the memory devices.
func New(o Options) *Server { return &Server{opt: o} }

// Handle serves one stream request.
func (s *Server) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	switch req.Type {
	case streamproto.Open:
		return s.open(req)
	case streamproto.Read, streamproto.Write, streamproto.Close, streamproto.Dup, streamproto.Ioctl, streamproto.Ready:
	default:
		return ipc.ErrorReply(req, linux.ENOSYS)
	}
	h, ok := parseHandle(req.Word(0))
	if !ok {
		return ipc.ErrorReply(req, linux.EBADF)
	}
	switch req.Type {
	case streamproto.Read:
		return s.read(ctx, req, h)
	case streamproto.Write:
		return s.write(req, h)
	case streamproto.Close:
		return ipc.Reply(req)
	case streamproto.Dup:
		rep := ipc.Reply(req)
		rep.SetWord(0, uint64(s.newHandle(h.device(), h.mode())))
		return rep
	case streamproto.Ready:
		rep := ipc.Reply(req) // a memory device never makes anyone wait
		rep.SetWord(0, linux.POLLIN|linux.POLLOUT)
		return rep
	}
	return ipc.ErrorReply(req, linux.ENOTTY) // Ioctl: not a terminal
}

// open opens a device by name.
func (s *Server) open(req *ipc.Message) ipc.Message {
	name, flags, err := streamproto.OpenArgs(req)
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	dev, ok := byName[name]
	switch {
	case !ok:
		return ipc.ErrorReply(req, linux.ENOENT)
	case flags&linux.O_ACCMODE == linux.O_ACCMODE:
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(s.newHandle(dev, flags&linux.O_ACCMODE)))
	return rep
}

// read fills the caller's receive window: nothing from null, zeros from
// zero and full, the generator's bytes from random.
func (s *Server) read(ctx *ipc.Ctx, req *ipc.Message, h handle) ipc.Message {
	if !h.canRead() {
		return ipc.ErrorReply(req, linux.EBADF)
	}
	n, ok := streamproto.CountOf(req)
	if !ok {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	var data []byte
	switch h.device() {
	case devNull:
		n = 0
	case devZero, devFull:
		if s.zeros == nil {
			s.zeros = make([]byte, ipc.MaxBulk)
		}
		data = s.zeros[:n]
	case devRandom:
		data = s.random(ctx.Sys, n)
	}
	rep := ipc.Reply(req)
	if n > 0 {
		got, err := ctx.CopyOut(0, data)
		if err != nil {
			return ipc.ErrorReply(req, ipc.ErrnoOf(err))
		}
		n = got
	}
	rep.SetWord(0, uint64(n))
	return rep
}

// random returns n bytes of the generator, seeding it first if needed.
func (s *Server) random(sys ipc.Sys, n int) []byte {
	if s.rng == nil {
		seed := s.opt.Seed
		if seed == 0 {
			seed = sys.Rand()
		}
		s.rng = rand.New(rand.NewPCG(seed, seed^0x72616e646f6d))
		s.buf = make([]byte, ipc.MaxBulk)
	}
	b := s.buf[:n]
	for i := 0; i < n; i += 8 {
		v := s.rng.Uint64()
		for j := i; j < min(i+8, n); j++ {
			b[j] = byte(v)
			v >>= 8
		}
	}
	return b
}

// write takes the caller's bytes without looking at them; full refuses.
func (s *Server) write(req *ipc.Message, h handle) ipc.Message {
	switch {
	case !h.canWrite():
		return ipc.ErrorReply(req, linux.EBADF)
	case h.device() == devFull:
		return ipc.ErrorReply(req, linux.ENOSPC)
	case req.Word(1) > ipc.MaxBulk:
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, req.Word(1))
	return rep
}
