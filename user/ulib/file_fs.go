package ulib

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// Files of the file server, and what the library does when it restarts.
// LECTURE: fs-recovery
//
// The file server can crash and be restarted under a program (micro mode).
// What the program sees:
//
//  1. A request that finds no instance (the bus's wait ran out: EAGAIN)
//     never reached a server: it is sent again, whatever it was.
//  2. A request whose server died before replying (ECONNRESET) may or may
//     not have taken effect. An idempotent one — stat, lstat, readdir,
//     readlink, statfs, open without O_EXCL, chmod, truncate, sync, and any
//     request on a read-only descriptor — is sent again. The others —
//     mkdir, rmdir, unlink, rename, link, symlink, open with O_EXCL, and
//     writes — fail with EIO: done or not, the program cannot tell.
//  3. The restarted server has forgotten every descriptor: an old one
//     fails with ESTALE (servers/fs/doc.go). The library reopens the
//     descriptor by its path at the offset it tracked, and the program
//     goes on — a writable one too, because the file server commits before
//     it acknowledges (fs.NewDurable, as boot runs it): nothing the program
//     was told it wrote is lost, and the refused request did nothing.
//     Only the write the crash itself hit fails (EIO, step 2).
//
// Each request is sent at most maxRetries+1 times.

// maxRetries bounds how often a request is sent again.
const maxRetries = 3

// fsClient returns the file server's stubs, looking it up once.
func (p *Proc) fsClient() (fsproto.Client, error) {
	t := p.table()
	if !t.fsReady {
		c, err := fsproto.Dial(p.Sys)
		if err != nil {
			return c, linux.ENXIO // no file server in this system
		}
		t.fs, t.fsReady = c, true
	}
	return t.fs, nil
}

// lostByRestart reports whether err says the file server died or
// restarted since the descriptor was opened.
func lostByRestart(err error) bool {
	return errors.Is(err, ipc.ErrServiceDied) || errors.Is(err, linux.ESTALE)
}

// fsRetry runs op, a request named by paths, as steps 1 and 2 say.
func (p *Proc) fsRetry(idempotent bool, op func(c fsproto.Client) error) error {
	c, err := p.fsClient()
	if err != nil {
		return err
	}
	for try := 0; ; try++ {
		err := op(c)
		switch {
		case err == nil || try == maxRetries:
			return err
		case errors.Is(err, ipc.ErrNoInstance):
		case errors.Is(err, ipc.ErrServiceDied) && !idempotent:
			return linux.EIO
		case !errors.Is(err, ipc.ErrServiceDied):
			return err
		}
	}
}

// fdRetry runs op on an open file of the file server, as steps 1–3 say.
func (p *Proc) fdRetry(f *openFile, op func(c fsproto.Client, fd fsproto.FD) error) error {
	c, err := p.fsClient()
	if err != nil {
		return err
	}
	for try := 0; ; try++ {
		err := op(c, f.fd)
		switch {
		case err == nil || try == maxRetries:
			return err
		case errors.Is(err, ipc.ErrNoInstance):
		case lostByRestart(err) && !f.writable(), errors.Is(err, linux.ESTALE):
			// A read-only file is reopened whatever happened; a writable
			// one only when the new server refused the request (ESTALE):
			// it did nothing, and everything written before is on the
			// disk (the file server commits before it replies).
			if err := p.reopen(f); err != nil {
				return err
			}
		case errors.Is(err, ipc.ErrServiceDied):
			return linux.EIO
		default:
			return err
		}
	}
}

// reopen opens f's file again after a restart of the file server, at the
// offset the library tracked.
func (p *Proc) reopen(f *openFile) error {
	return p.fsRetry(true, func(c fsproto.Client) error {
		fd, err := c.Open(f.path, f.flags, 0)
		if err != nil {
			return err
		}
		f.fd = fd
		if f.off > 0 {
			_, err = c.Seek(fd, f.off, linux.SEEK_SET)
		}
		return err
	})
}

// reopenFlags are the open flags that act only when a file is opened:
// what a descriptor keeps of its flags drops them.
const reopenFlags = linux.O_CREAT | linux.O_EXCL | linux.O_TRUNC

// openFS opens a file of the file server.
func (p *Proc) openFS(path string, flags int, mode uint32) (int, error) {
	if len(p.OpenFds()) >= maxFds {
		return -1, linux.EMFILE
	}
	var fd fsproto.FD
	err := p.fsRetry(flags&linux.O_EXCL == 0, func(c fsproto.Client) error {
		var err error
		fd, err = c.Open(path, flags, mode)
		return err
	})
	if err != nil {
		return -1, err
	}
	return p.install(&openFile{kind: kindFS, fd: fd, path: path, flags: flags &^ reopenFlags}, 0), nil
}

func (p *Proc) readFS(f *openFile, buf []byte) (int, error) {
	var n int
	err := p.fdRetry(f, func(c fsproto.Client, fd fsproto.FD) error {
		var err error
		n, err = c.Read(fd, buf)
		return err
	})
	f.off += int64(n)
	return n, err
}

func (p *Proc) writeFS(f *openFile, data []byte) (int, error) {
	var n int
	err := p.fdRetry(f, func(c fsproto.Client, fd fsproto.FD) error {
		if f.atEnd {
			off, err := c.Seek(fd, 0, linux.SEEK_END)
			if err != nil {
				return err
			}
			f.off = off
		}
		var err error
		n, err = c.Write(fd, data)
		return err
	})
	f.off += int64(n)
	return n, err
}

// Stat describes the file at path, following symbolic links.
func (p *Proc) Stat(path string) (fsproto.Attr, error) { return p.stat(path, true) }

// Lstat describes the file at path; a final symbolic link is described
// itself.
func (p *Proc) Lstat(path string) (fsproto.Attr, error) { return p.stat(path, false) }

func (p *Proc) stat(path string, follow bool) (fsproto.Attr, error) {
	abs, err := p.abs(path)
	if err != nil {
		return fsproto.Attr{}, err
	}
	if name, ok := devPath(abs); ok {
		return p.statDevice(name)
	}
	var a fsproto.Attr
	err = p.fsRetry(true, func(c fsproto.Client) error {
		if follow {
			a, err = c.Stat(abs)
		} else {
			a, err = c.Lstat(abs)
		}
		return err
	})
	return a, err
}

// pathOp runs a request that names one path of the file server; paths
// under /dev/ cannot be changed (EPERM).
func (p *Proc) pathOp(path string, idempotent bool, op func(c fsproto.Client, abs string) error) error {
	abs, err := p.abs(path)
	if err != nil {
		return err
	}
	if _, ok := devPath(abs); ok {
		return linux.EPERM
	}
	return p.fsRetry(idempotent, func(c fsproto.Client) error { return op(c, abs) })
}

// twoPaths runs a request that names two paths.
func (p *Proc) twoPaths(a, b string, op func(c fsproto.Client, a, b string) error) error {
	absA, err := p.abs(a)
	if err != nil {
		return err
	}
	return p.pathOp(b, false, func(c fsproto.Client, absB string) error {
		if _, ok := devPath(absA); ok {
			return linux.EXDEV
		}
		return op(c, absA, absB)
	})
}

// Mkdir creates the directory path.
func (p *Proc) Mkdir(path string, mode uint32) error {
	return p.pathOp(path, false, func(c fsproto.Client, abs string) error { return c.Mkdir(abs, mode) })
}

// Rmdir removes the empty directory path.
func (p *Proc) Rmdir(path string) error {
	return p.pathOp(path, false, fsproto.Client.Rmdir)
}

// Unlink removes the name path of a file that is not a directory.
func (p *Proc) Unlink(path string) error {
	return p.pathOp(path, false, fsproto.Client.Unlink)
}

// Rename renames oldpath to newpath atomically, replacing newpath.
func (p *Proc) Rename(oldpath, newpath string) error {
	return p.twoPaths(oldpath, newpath, fsproto.Client.Rename)
}

// Link makes newpath another name of oldpath.
func (p *Proc) Link(oldpath, newpath string) error {
	return p.twoPaths(oldpath, newpath, fsproto.Client.Link)
}

// Symlink makes path a symbolic link to target, which is stored as it is
// given (a relative target is resolved from the link's directory).
func (p *Proc) Symlink(target, path string) error {
	return p.pathOp(path, false, func(c fsproto.Client, abs string) error { return c.Symlink(target, abs) })
}

// Readlink returns the target of the symbolic link path.
func (p *Proc) Readlink(path string) (string, error) {
	var target string
	err := p.pathOp(path, true, func(c fsproto.Client, abs string) error {
		var err error
		target, err = c.Readlink(abs)
		return err
	})
	return target, err
}

// Chmod sets the permission bits of the file at path.
func (p *Proc) Chmod(path string, mode uint32) error {
	return p.pathOp(path, true, func(c fsproto.Client, abs string) error { return c.Chmod(abs, mode) })
}

// Chown sets the owner and group of the file at path (fsproto.KeepID
// leaves one as it is): root only gives a file away; its owner may change
// its group to the owner's own.
func (p *Proc) Chown(path string, uid, gid uint32) error {
	return p.pathOp(path, true, func(c fsproto.Client, abs string) error { return c.Chown(abs, uid, gid) })
}

// Access checks that the process may use the file at path as mode asks
// (fsproto.AccessR|AccessW|AccessX; 0: that it exists), as access(2).
func (p *Proc) Access(path string, mode uint32) error {
	abs, err := p.abs(path)
	if err != nil {
		return err
	}
	if _, ok := devPath(abs); ok {
		_, err := p.Stat(abs)
		return err
	}
	return p.fsRetry(true, func(c fsproto.Client) error { return c.Access(abs, mode) })
}

// Truncate sets the size of the file at path.
func (p *Proc) Truncate(path string, size int64) error {
	return p.pathOp(path, true, func(c fsproto.Client, abs string) error { return c.Truncate(abs, size) })
}

// ReadDir returns the entries of the directory at path, "." and ".."
// included, in the directory's order. /dev lists the devices whose
// services are there.
func (p *Proc) ReadDir(path string) ([]fsproto.DirEntry, error) {
	abs, err := p.abs(path)
	if err != nil {
		return nil, err
	}
	if name, ok := devPath(abs); ok {
		return p.readDevDir(name)
	}
	var es []fsproto.DirEntry
	err = p.fsRetry(true, func(c fsproto.Client) error {
		var err error
		es, err = c.ReadDir(abs)
		return err
	})
	return es, err
}

// Statfs returns the file system's sizes and free space.
func (p *Proc) Statfs() (fsproto.Fsinfo, error) {
	var info fsproto.Fsinfo
	err := p.fsRetry(true, func(c fsproto.Client) error {
		var err error
		info, err = c.Statfs()
		return err
	})
	return info, err
}

// Sync returns when every change made so far is on the disk.
func (p *Proc) Sync() error {
	return p.fsRetry(true, fsproto.Client.Sync)
}

// Fsync returns when everything written through fd is on the disk. For
// a stream it does nothing.
func (p *Proc) Fsync(fd int) error {
	f, err := p.file(fd)
	if err != nil || f.kind != kindFS {
		return err
	}
	return p.fdRetry(f, fsproto.Client.Fsync)
}

// Ftruncate sets the size of fd's file.
func (p *Proc) Ftruncate(fd int, size int64) error {
	f, err := p.file(fd)
	if err != nil {
		return err
	}
	if f.kind != kindFS {
		return linux.EINVAL
	}
	return p.fdRetry(f, func(c fsproto.Client, fd fsproto.FD) error { return c.Ftruncate(fd, size) })
}
