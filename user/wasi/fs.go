package wasi

import (
	"io/fs"
	"path"

	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/user/ulib"
	wsys "github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/sys"
)

// procFS is the file system a wasm program sees, mounted at "/": every
// call is the program's own system call through the system-call library
// (user/ulib), so each is a message to the file server (or to a stream
// service, for /dev), made with the process's credentials and retried
// across a restart of the file server exactly as for a native program.
//
// wazero hands it paths relative to the mount, "." for the root.
type procFS struct {
	wsys.UnimplementedFS
	p *ulib.Proc
}

// abs turns wazero's relative path into the absolute one mkos wants.
func abs(rel string) string { return path.Clean("/" + rel) }

// OpenFile implements sys.FS. A directory is opened without a descriptor
// at the file server: its entries are read with ReadDir when asked for.
func (f *procFS) OpenFile(rel string, flag wsys.Oflag, perm fs.FileMode) (wsys.File, wsys.Errno) {
	name := abs(rel)
	flags := linuxFlags(flag)
	if flag&wsys.O_CREAT == 0 {
		if a, err := f.p.Stat(name); err == nil && a.IsDir() {
			if flags&linux.O_ACCMODE != linux.O_RDONLY {
				return nil, wsys.EISDIR
			}
			return &dirFile{p: f.p, path: name, attr: a}, 0
		}
	}
	if flag&wsys.O_DIRECTORY != 0 {
		if _, err := f.p.Stat(name); err != nil {
			return nil, toErrno(err)
		}
		return nil, wsys.ENOTDIR
	}
	fd, err := f.p.Open(name, flags, uint32(perm.Perm()))
	if err != nil {
		return nil, toErrno(err)
	}
	return &file{p: f.p, fd: fd, append: flag&wsys.O_APPEND != 0}, 0
}

// linuxFlags translates wazero's open flags into Linux's.
func linuxFlags(flag wsys.Oflag) int {
	var out int
	switch {
	case flag&wsys.O_RDWR != 0:
		out = linux.O_RDWR
	case flag&wsys.O_WRONLY != 0:
		out = linux.O_WRONLY
	}
	for _, m := range []struct {
		w wsys.Oflag
		l int
	}{{wsys.O_APPEND, linux.O_APPEND}, {wsys.O_CREAT, linux.O_CREAT}, {wsys.O_EXCL, linux.O_EXCL},
		{wsys.O_TRUNC, linux.O_TRUNC}, {wsys.O_NOFOLLOW, linux.O_NOFOLLOW}} {
		if flag&m.w != 0 {
			out |= m.l
		}
	}
	return out
}

// Stat implements sys.FS.
func (f *procFS) Stat(rel string) (sys.Stat_t, wsys.Errno) {
	a, err := f.p.Stat(abs(rel))
	return statOf(a), toErrno(err)
}

// Lstat implements sys.FS.
func (f *procFS) Lstat(rel string) (sys.Stat_t, wsys.Errno) {
	a, err := f.p.Lstat(abs(rel))
	return statOf(a), toErrno(err)
}

// Mkdir implements sys.FS.
func (f *procFS) Mkdir(rel string, perm fs.FileMode) wsys.Errno {
	return toErrno(f.p.Mkdir(abs(rel), uint32(perm.Perm())))
}

// Chmod implements sys.FS.
func (f *procFS) Chmod(rel string, perm fs.FileMode) wsys.Errno {
	return toErrno(f.p.Chmod(abs(rel), uint32(perm.Perm())))
}

// Rename implements sys.FS.
func (f *procFS) Rename(from, to string) wsys.Errno {
	return toErrno(f.p.Rename(abs(from), abs(to)))
}

// Rmdir implements sys.FS.
func (f *procFS) Rmdir(rel string) wsys.Errno { return toErrno(f.p.Rmdir(abs(rel))) }

// Unlink implements sys.FS.
func (f *procFS) Unlink(rel string) wsys.Errno { return toErrno(f.p.Unlink(abs(rel))) }

// Link implements sys.FS.
func (f *procFS) Link(oldRel, newRel string) wsys.Errno {
	return toErrno(f.p.Link(abs(oldRel), abs(newRel)))
}

// Symlink implements sys.FS. The target is kept as the program gave it.
func (f *procFS) Symlink(target, linkRel string) wsys.Errno {
	return toErrno(f.p.Symlink(target, abs(linkRel)))
}

// Readlink implements sys.FS.
func (f *procFS) Readlink(rel string) (string, wsys.Errno) {
	s, err := f.p.Readlink(abs(rel))
	return s, toErrno(err)
}

// Utimens implements sys.FS: mkos's file server keeps its own times, so
// setting them succeeds and changes nothing.
func (f *procFS) Utimens(rel string, atim, mtim int64) wsys.Errno {
	_, err := f.p.Stat(abs(rel))
	return toErrno(err)
}

// statOf converts the file server's attributes into wazero's.
func statOf(a fsproto.Attr) sys.Stat_t {
	mode := fs.FileMode(a.Mode & 0o777)
	switch a.Mode & linux.S_IFMT {
	case linux.S_IFDIR:
		mode |= fs.ModeDir
	case linux.S_IFLNK:
		mode |= fs.ModeSymlink
	case linux.S_IFCHR:
		mode |= fs.ModeDevice | fs.ModeCharDevice
	case linux.S_IFIFO:
		mode |= fs.ModeNamedPipe
	}
	return sys.Stat_t{Ino: a.Ino, Mode: mode, Nlink: uint64(a.Nlink), Size: a.Size,
		Atim: a.Atime, Mtim: a.Mtime, Ctim: a.Ctime}
}
