package fs

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// Streams (fsproto.ReadDirStream, fsproto.Follow): the server accepts
// the stream while serving the request, then emits frames as the
// client's credit allows and never blocks on a client, as echo does.
// When the credit runs out (EAGAIN) it keeps the stream; the client's
// grant notifies it (ipc.NotifyBus) and BusNotified emits the next
// frames. A stream leaves the lists at its end, or when the client
// cancelled or died (ECANCELED, EBADF).
//
// Emitting never touches the file system: a directory stream emits the
// records it read when it was asked for, a follower the size serve
// recorded after the last request. So BusNotified is safe wherever it
// runs — in the server's task, or in the kernel thread of a server placed
// in the kernel while a caller's trap is inside the file system — and
// pumping is guarded against re-entry (a trap that yields while emitting
// lets another enter): the one already pumping goes round again.

// dirPump is a directory stream: data[off:] is still to go.
type dirPump struct {
	srv  ipc.StreamServer
	data []byte
	off  int
}

// follower is a Follow stream: the client's descriptor, the size last
// told and the size serve saw last.
type follower struct {
	srv       ipc.StreamServer
	client    ipc.Endpoint
	fd        fsproto.FD
	told, cur int64
	gone      ipc.Errno // the descriptor went away: end with it
}

// streams are the server's streams.
type streams struct {
	dirs    []*dirPump
	follows []*follower
	pumping bool // a pump is running; again: run it once more
	again   bool
}

// readDirStream serves ReadDirStream: read the whole directory, accept,
// emit what the credit allows.
func (s *Server) readDirStream(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	path, err := s.path(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	var data []byte
	var cookie uint64
	for {
		next, end, err := s.fs.ReadDir(path, cookie, func(e fsproto.DirEntry) bool {
			data = append(data, make([]byte, e.EncodedSize())...)
			e.Encode(data[len(data)-e.EncodedSize():])
			return true
		})
		if err != nil {
			return ipc.Message{}, err
		}
		if end || next == cookie {
			break
		}
		cookie = next
	}
	srv, err := ipc.AcceptStream(ctx.Sys, ipc.StreamID(req.Word(0)))
	if err != nil {
		return ipc.Message{}, err
	}
	s.st.dirs = append(s.st.dirs, &dirPump{srv: srv, data: data})
	s.pumpStreams(ctx.Sys)
	return ipc.Message{}, nil
}

// follow serves Follow: check the descriptor, accept, and tell the size
// at once if the client has not seen it.
func (s *Server) follow(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	fd := fsproto.FD(req.Word(1))
	a, err := s.fs.Fstat(ctx.Caller, fd)
	if err != nil {
		return ipc.Message{}, err
	}
	if req.Word(2) > 1<<62 {
		return ipc.Message{}, linux.EINVAL
	}
	srv, err := ipc.AcceptStream(ctx.Sys, ipc.StreamID(req.Word(0)))
	if err != nil {
		return ipc.Message{}, err
	}
	s.st.follows = append(s.st.follows, &follower{srv: srv, client: ctx.Caller, fd: fd, told: int64(req.Word(2)), cur: a.Size})
	s.pumpStreams(ctx.Sys)
	return ipc.Message{}, nil
}

// watchSizes records the size of every followed file, after a request
// that may have changed it; the file system is the server's to read.
func (s *Server) watchSizes(sys ipc.Sys) {
	if len(s.st.follows) == 0 || s.fs == nil {
		return
	}
	for _, f := range s.st.follows {
		if f.gone != 0 {
			continue
		}
		a, err := s.fs.Fstat(f.client, f.fd)
		if err != nil {
			f.gone = ipc.ErrnoOf(err)
			continue
		}
		f.cur = a.Size
	}
	s.pumpStreams(sys)
}

// BusNotified runs the streams on: a client granted credit or cancelled.
func (s *Server) BusNotified(ctx *ipc.Ctx) { s.pumpStreams(ctx.Sys) }

// pumpStreams emits what each stream's credit allows and drops the
// finished ones, making its calls with sys.
func (s *Server) pumpStreams(sys ipc.Sys) {
	st := &s.st
	if st.pumping {
		st.again = true
		return
	}
	st.pumping = true
	for st.again = true; st.again; {
		st.again = false
		st.dirs = keep(st.dirs, func(p *dirPump) bool { return p.run(sys) })
		st.follows = keep(st.follows, func(f *follower) bool { return f.run(sys) })
	}
	st.pumping = false
}

// keep runs each of list and returns those that go on.
func keep[T any](list []*T, run func(*T) bool) []*T {
	kept := list[:0]
	for _, p := range list {
		if run(p) {
			kept = append(kept, p)
		}
	}
	clear(list[len(kept):])
	return kept
}

// run emits frames until the credit runs out or the data does; it
// reports whether the stream goes on.
func (p *dirPump) run(sys ipc.Sys) bool {
	srv := p.srv.On(sys)
	for p.off < len(p.data) {
		var m ipc.Message
		n := min(len(p.data)-p.off, ipc.PayloadSize)
		m.SetBytes(p.data[p.off : p.off+n])
		if err := srv.Emit(&m, false); err != nil {
			return errors.Is(err, linux.EAGAIN)
		}
		p.off += n
	}
	_ = srv.End(0)
	return false
}

// run tells the size if it changed, and ends the stream if the
// descriptor went away; it reports whether the stream goes on.
func (f *follower) run(sys ipc.Sys) bool {
	srv := f.srv.On(sys)
	if f.gone != 0 {
		_ = srv.End(f.gone)
		return false
	}
	if f.cur == f.told {
		return true
	}
	var m ipc.Message
	m.SetWord(0, uint64(f.cur))
	if err := srv.Emit(&m, false); err != nil {
		return errors.Is(err, linux.EAGAIN)
	}
	f.told = f.cur
	return true
}

// Streams returns the number of streams being served (for tests).
func (s *Server) Streams() int { return len(s.st.dirs) + len(s.st.follows) }
