package fs

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// The handlers of the requests on names and of the whole file system.

func (s *Server) mkdir(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	path, err := s.path(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	return ipc.Message{}, s.fs.Mkdir(path, uint32(req.Word(0)))
}

func (s *Server) rmdir(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	path, err := s.path(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	return ipc.Message{}, s.fs.Rmdir(path)
}

func (s *Server) unlink(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	path, err := s.path(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	return ipc.Message{}, s.fs.Unlink(path)
}

// rename serves the three requests with two paths: rename, link, symlink.
func (s *Server) rename(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	a, b, err := s.two(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	switch req.Type {
	case fsproto.Link:
		err = s.fs.Link(a, b)
	case fsproto.Symlink:
		err = s.fs.Symlink(a, b)
	default:
		err = s.fs.Rename(a, b)
	}
	return ipc.Message{}, err
}

func (s *Server) readDir(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	path, err := s.path(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	out := s.buf[:min(req.Word(1), ipc.MaxBulk)]
	used, count := 0, 0
	next, end, err := s.fs.ReadDir(path, req.Word(0), func(e fsproto.DirEntry) bool {
		if used+e.EncodedSize() > len(out) {
			return false
		}
		used += e.Encode(out[used:])
		count++
		return true
	})
	if err != nil {
		return ipc.Message{}, err
	}
	if used > 0 {
		if _, err := ctx.CopyOut(0, out[:used]); err != nil {
			return ipc.Message{}, err
		}
	}
	var rep ipc.Message
	rep.SetWord(0, next)
	rep.SetWord(1, uint64(count))
	rep.SetWord(2, uint64(used))
	if end {
		rep.SetWord(3, 1)
	}
	return rep, nil
}

func (s *Server) truncate(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	path, err := s.path(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	return ipc.Message{}, s.fs.Truncate(path, int64(req.Word(0)))
}

func (s *Server) ftruncate(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	return ipc.Message{}, s.fs.Ftruncate(ctx.Caller, fdOf(req), int64(req.Word(1)))
}

func (s *Server) fsync(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	return ipc.Message{}, s.fs.Fsync(ctx.Caller, fdOf(req))
}

func (s *Server) sync(*ipc.Ctx, *ipc.Message) (ipc.Message, error) {
	return ipc.Message{}, s.fs.Sync()
}

func (s *Server) readlink(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	path, err := s.path(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	target, err := s.fs.Readlink(path)
	if err != nil {
		return ipc.Message{}, err
	}
	n, err := ctx.CopyOut(0, []byte(target))
	return word(uint64(n)), err
}

func (s *Server) chmod(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	path, err := s.path(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	return ipc.Message{}, s.fs.Chmod(path, uint32(req.Word(0)))
}

func (s *Server) chown(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	path, err := s.path(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	uid, gid := req.Word(0), req.Word(1)
	if uid > fsproto.KeepID || gid > fsproto.KeepID {
		return ipc.Message{}, linux.EINVAL
	}
	return ipc.Message{}, s.fs.Chown(path, uint32(uid), uint32(gid))
}

// access serves Access; its "as" form is root's only (fsproto.Access).
func (s *Server) access(ctx *ipc.Ctx, req *ipc.Message) (ipc.Message, error) {
	path, err := s.path(ctx, req)
	if err != nil {
		return ipc.Message{}, err
	}
	mode := req.Word(0)
	if mode > 7 || req.Word(1) > 1 {
		return ipc.Message{}, linux.EINVAL
	}
	if req.Word(1) == 1 {
		if req.Word(2) > fsproto.KeepID-1 || req.Word(3) > fsproto.KeepID-1 {
			return ipc.Message{}, linux.EINVAL
		}
		as := ipc.Cred{UID: uint32(req.Word(2)), GID: uint32(req.Word(3))}
		if c := callerOf(ctx)(); !c.IsRoot() && c != as {
			return ipc.Message{}, linux.EPERM
		}
		s.fs.As(as)
	}
	return ipc.Message{}, s.fs.Access(path, uint32(mode))
}

func (s *Server) statfs(*ipc.Ctx, *ipc.Message) (ipc.Message, error) {
	i := s.fs.Statfs()
	var rep ipc.Message
	for k, v := range []int64{int64(i.BlockSize), i.Blocks, i.FreeBlocks, i.Inodes, i.FreeInodes, int64(i.NameMaxSize)} {
		rep.SetWord(k, uint64(v))
	}
	return rep, nil
}

func (s *Server) release(ctx *ipc.Ctx, _ *ipc.Message) (ipc.Message, error) {
	return ipc.Message{}, s.fs.Release(ctx.Caller)
}
