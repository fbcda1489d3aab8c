package pipe

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Defaults and limits.
const (
	DefaultCapacityBytes = 64 << 10
	// DefaultMaxHandles bounds the open handles; Pipe and Dup fail with
	// ENFILE beyond it.
	DefaultMaxHandles = 4096
)

// Options configure the pipe server. Zero fields take the defaults.
type Options struct {
	CapacityBytes int
	MaxHandles    int
}

// Server is the pipe server.
type Server struct {
	opt     Options
	handles map[streamproto.Handle]*end
	seq     uint64
	// held indexes the open handles by the task that holds them
	// (exit.go).
	held streamproto.Holders[streamproto.Handle]
	// pollers are the armed Ready requests, woken after every request.
	pollers streamproto.Pollers
}

// pipe is one pipe: its buffer, the open handles on each end, and the
// reads and writes that wait.
type pipe struct {
	buf              ring
	readers, writers int
	ends             map[streamproto.Handle]*end
	rwait, wwait     []*waiter
}

// end is an open handle: a pipe's read or write end, and the tasks that
// hold it (exit.go).
type end struct {
	p     *pipe
	write bool
	// users hold the handle: its maker, and every task that has used it
	// since. made: only the maker holds it, and has not used it.
	users []ipc.Endpoint
	made  bool
}

// waiter is a read or write that waits: its caller, its size, and (for a
// write) how much of it is in the buffer already.
type waiter struct {
	caller ipc.Endpoint
	n      int
	done   int
}

// call is the request Handle serves: a waiter answered while it is being
// served gets Handle's return value instead of a Reply.
type call struct {
	caller   ipc.Endpoint
	answered bool
	rep      ipc.Message
}

// handleTag marks the pipe server's handles ("pi"), so that a handle sent
// to the wrong service is refused.
const handleTag = 0x7069

// New returns a pipe server.
func New(o Options) *Server {
	if o.CapacityBytes <= 0 {
		o.CapacityBytes = DefaultCapacityBytes
	}
	if o.MaxHandles <= 0 {
		o.MaxHandles = DefaultMaxHandles
	}
	return &Server{opt: o, handles: map[streamproto.Handle]*end{}, held: map[ipc.Endpoint]map[streamproto.Handle]bool{}}
}

// Handle serves one stream request.
func (s *Server) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	c := &call{caller: ctx.Caller}
	s.use(req, ctx.Caller)
	var rep ipc.Message
	switch req.Type {
	case streamproto.Pipe:
		rep = s.makePipe(req, ctx.Caller)
	case streamproto.Read, streamproto.Write:
		rep = s.transfer(ctx, req, c)
	case streamproto.Close:
		rep = s.closeHandle(ctx, req, c)
	case streamproto.Dup:
		rep = s.dup(req, ctx.Caller)
	case streamproto.Open:
		rep = ipc.ErrorReply(req, linux.ENOENT) // pipes have no names
	case streamproto.Ioctl:
		rep = ipc.ErrorReply(req, linux.ENOTTY)
	case streamproto.Ready:
		rep = s.ready(req, ctx.Caller)
	default:
		rep = ipc.ErrorReply(req, linux.ENOSYS)
	}
	s.pollers.Wake(ctx.Sys, s.readiness)
	if c.answered {
		return c.rep
	}
	return rep
}

// makePipe serves Pipe: a new pipe and a handle on each end.
func (s *Server) makePipe(req *ipc.Message, caller ipc.Endpoint) ipc.Message {
	if len(s.handles)+2 > s.opt.MaxHandles {
		return ipc.ErrorReply(req, linux.ENFILE)
	}
	p := &pipe{buf: newRing(s.opt.CapacityBytes), ends: map[streamproto.Handle]*end{}}
	r := s.add(&end{p: p, users: []ipc.Endpoint{caller}, made: true})
	w := s.add(&end{p: p, write: true, users: []ipc.Endpoint{caller}, made: true})
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(r))
	rep.SetWord(1, uint64(w))
	return rep
}

// add opens a handle on e.
func (s *Server) add(e *end) streamproto.Handle {
	s.seq++
	h := streamproto.Handle(handleTag<<48 | s.seq&(1<<48-1))
	s.handles[h] = e
	e.p.ends[h] = e
	s.held.Hold(h, e.users[0])
	if e.write {
		e.p.writers++
	} else {
		e.p.readers++
	}
	return h
}

// dup serves Dup: another handle on the same end.
func (s *Server) dup(req *ipc.Message, caller ipc.Endpoint) ipc.Message {
	e, ok := s.handles[streamproto.Handle(req.Word(0))]
	switch {
	case !ok:
		return ipc.ErrorReply(req, linux.EBADF)
	case len(s.handles) >= s.opt.MaxHandles:
		return ipc.ErrorReply(req, linux.ENFILE)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(s.add(&end{p: e.p, write: e.write, users: []ipc.Endpoint{caller}, made: true})))
	return rep
}

// ready serves Ready, arming the handle for caller when the request asks
// to and nothing it waits for is ready (streamproto.Pollers).
func (s *Server) ready(req *ipc.Message, caller ipc.Endpoint) ipc.Message {
	h := streamproto.Handle(req.Word(0))
	bits, ok := s.readiness(h)
	if !ok {
		return ipc.ErrorReply(req, linux.EBADF)
	}
	events, arm, valid := streamproto.ReadyArmEvents(req.Word(1))
	if !valid {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, bits)
	if arm && bits&(events|linux.POLLERR|linux.POLLHUP) == 0 && caller != ipc.KernelEndpoint &&
		s.pollers.Arm(caller, h, events) {
		rep.SetWord(1, streamproto.ReadyArmed)
	}
	return rep
}

// readiness is what handle h is ready for: a read end is readable with
// bytes buffered or no writer left (POLLHUP too then); a write end is
// writable with room, and in error (POLLERR) with no reader left. ok is
// false when h is not open.
func (s *Server) readiness(h streamproto.Handle) (bits uint64, ok bool) {
	e, ok := s.handles[h]
	if !ok {
		return 0, false
	}
	switch p := e.p; {
	case !e.write && p.writers == 0:
		bits = linux.POLLIN | linux.POLLHUP
	case !e.write && p.buf.n > 0:
		bits = linux.POLLIN
	case e.write && p.readers == 0:
		bits = linux.POLLERR
	case e.write && p.buf.free() > 0 && len(p.wwait) == 0:
		bits = linux.POLLOUT
	}
	return bits, true
}

// Pollers returns how many Ready requests are armed, for tests.
func (s *Server) Pollers() int { return s.pollers.Len() }

// closeHandle serves Close. The last write handle's close ends the
// stream for waiting readers; the last read handle's fails waiting
// writers.
func (s *Server) closeHandle(ctx *ipc.Ctx, req *ipc.Message, c *call) ipc.Message {
	h := streamproto.Handle(req.Word(0))
	e, ok := s.handles[h]
	if !ok {
		return ipc.ErrorReply(req, linux.EBADF)
	}
	s.drop(h, e)
	s.pump(ctx, e.p, c)
	return ipc.Reply(req)
}

// drop closes handle h on e.
func (s *Server) drop(h streamproto.Handle, e *end) {
	delete(s.handles, h)
	delete(e.p.ends, h)
	for _, u := range e.users {
		s.held.Unhold(h, u)
	}
	if e.write {
		e.p.writers--
	} else {
		e.p.readers--
	}
}
