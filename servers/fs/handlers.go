package fs

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// The system-call table: one handler per request type. A handler decodes
// its request (fsproto documents the words and windows), calls the FS
// operation and encodes the reply; an error becomes the reply's errno.
type handler func(s *Server, ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error)

var handlers = map[ipc.Type]handler{
	fsproto.Open:      (*Server).open,
	fsproto.Read:      (*Server).read,
	fsproto.Pread:     (*Server).read,
	fsproto.Write:     (*Server).write,
	fsproto.Pwrite:    (*Server).write,
	fsproto.Seek:      (*Server).seek,
	fsproto.Close:     (*Server).close,
	fsproto.Stat:      (*Server).stat,
	fsproto.Lstat:     (*Server).stat,
	fsproto.Fstat:     (*Server).fstat,
	fsproto.Mkdir:     (*Server).mkdir,
	fsproto.Rmdir:     (*Server).rmdir,
	fsproto.Unlink:    (*Server).unlink,
	fsproto.Rename:    (*Server).rename,
	fsproto.Link:      (*Server).rename,
	fsproto.Symlink:   (*Server).rename,
	fsproto.ReadDir:   (*Server).readDir,
	fsproto.Truncate:  (*Server).truncate,
	fsproto.Ftruncate: (*Server).ftruncate,
	fsproto.Fsync:     (*Server).fsync,
	fsproto.Sync:      (*Server).sync,
	fsproto.Readlink:  (*Server).readlink,
	fsproto.Chmod:     (*Server).chmod,
	fsproto.Statfs:    (*Server).statfs,
	fsproto.Release:   (*Server).release,
	fsproto.Chown:     (*Server).chown,
	fsproto.Access:    (*Server).access,

	fsproto.ReadDirStream: (*Server).readDirStream,
	fsproto.Follow:        (*Server).follow,
}

// HandledTypes lists the request types the server serves, for tests.
func HandledTypes() []ipc.Type {
	out := make([]ipc.Type, 0, len(handlers))
	for t := range handlers {
		out = append(out, t)
	}
	return out
}

// copyIn reads n bytes of the caller's send window at off.
func (s *Server) copyIn(ctx *ipc.Ctx, off int, n uint64) (string, error) {
	if n > fsproto.PathMax {
		return "", linux.ENAMETOOLONG
	}
	b := s.buf[:n]
	got, err := ctx.CopyIn(off, b)
	if err != nil {
		return "", err
	}
	if got < len(b) {
		return "", errFault
	}
	return string(b), nil
}

// path reads the request's path.
func (s *Server) path(ctx *ipc.Ctx, req *ipc.Message) (string, error) {
	return s.copyIn(ctx, 0, req.Word(fsproto.PathWord))
}

// two reads the request's two paths.
func (s *Server) two(ctx *ipc.Ctx, req *ipc.Message) (string, string, error) {
	a, err := s.copyIn(ctx, 0, req.Word(0))
	if err != nil {
		return "", "", err
	}
	b, err := s.copyIn(ctx, len(a), req.Word(1))
	return a, b, err
}

// word returns a reply with word 0 set to v.
func word(v uint64) ipc.Message {
	var m ipc.Message
	m.SetWord(0, v)
	return m
}

func fdOf(req *ipc.Message) fsproto.FD { return fsproto.FD(req.Word(0)) }

func (s *Server) open(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	path, err := s.path(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	fd, err := s.fs.Open(ctx.Caller, path, int(int32(req.Word(0))), uint32(req.Word(1)))
	return word(uint64(fd)), err
}

func (s *Server) read(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	b := s.buf[:min(req.Word(1), ipc.MaxBulk)]
	var n int
	var err error
	if req.Type == fsproto.Pread {
		n, err = s.fs.Pread(ctx.Caller, fdOf(req), b, int64(req.Word(2)))
	} else {
		n, err = s.fs.Read(ctx.Caller, fdOf(req), b)
	}
	if err != nil {
		return ipc.Message{}, err
	}
	if n > 0 {
		if _, err := ctx.CopyOut(0, b[:n]); err != nil {
			return ipc.Message{}, err
		}
	}
	return word(uint64(n)), nil
}

func (s *Server) write(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	b := s.buf[:min(req.Word(1), ipc.MaxBulk)]
	if len(b) > 0 {
		got, err := ctx.CopyIn(0, b)
		if err != nil {
			return ipc.Message{}, err
		}
		b = b[:got]
	}
	var n int
	var err error
	if req.Type == fsproto.Pwrite {
		n, err = s.fs.Pwrite(ctx.Caller, fdOf(req), b, int64(req.Word(2)))
	} else {
		n, err = s.fs.Write(ctx.Caller, fdOf(req), b)
	}
	return word(uint64(n)), err
}

func (s *Server) seek(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	pos, err := s.fs.Seek(ctx.Caller, fdOf(req), int64(req.Word(1)), int(req.Word(2)))
	return word(uint64(pos)), err
}

func (s *Server) close(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	return ipc.Message{}, s.fs.Close(ctx.Caller, fdOf(req))
}

// sendAttr returns a function that copies an Attr record to the caller.
func sendAttr(ctx *ipc.Ctx) func(fsproto.Attr, error) (ipc.Message, error) {
	return func(a fsproto.Attr, err error) (ipc.Message, error) {
		if err != nil {
			return ipc.Message{}, err
		}
		var b [fsproto.AttrSize]byte
		a.Encode(b[:])
		_, err = ctx.CopyOut(0, b[:])
		return ipc.Message{}, err
	}
}

func (s *Server) stat(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	path, err := s.path(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	if req.Type == fsproto.Lstat {
		return sendAttr(ctx)(s.fs.Lstat(path))
	}
	return sendAttr(ctx)(s.fs.Stat(path))
}

func (s *Server) fstat(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	return sendAttr(ctx)(s.fs.Fstat(ctx.Caller, fdOf(req)))
}
