package fs

import (
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

// The operations on open files: open, close, read, write, pread, pwrite,
// lseek, fstat, ftruncate, fsync; and release, a process's exit.

// Open opens path for process p with flags (O_RDONLY, O_WRONLY, O_RDWR,
// O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW; others are
// ignored) and returns a descriptor. A file it creates gets permission
// bits mode. As every operation, it happens completely or not at all: an
// open that fails creates nothing. O_CREAT with O_DIRECTORY is EINVAL, as
// in Linux 6.4 and later.
func (f *FS) Open(p ipc.Endpoint, path string, flags int, mode uint32) (fsproto.FD, error) {
	var fd fsproto.FD
	err := f.op(func() error {
		if flags&linux.O_ACCMODE == linux.O_ACCMODE || flags&(linux.O_CREAT|linux.O_DIRECTORY) == linux.O_CREAT|linux.O_DIRECTORY {
			return linux.EINVAL
		}
		ip, err := f.openInode(path, flags, mode)
		if err != nil {
			return err
		}
		fd, err = f.fdAlloc(p, &file{ino: ip.ino, flags: flags})
		return err
	})
	return fd, err
}

// openInode finds (or creates) the inode Open opens and applies O_TRUNC.
func (f *FS) openInode(path string, flags int, mode uint32) (*inode, error) {
	nofollow := flags&linux.O_NOFOLLOW != 0
	var ip *inode
	created := false
	if flags&linux.O_CREAT != 0 {
		excl := flags&linux.O_EXCL != 0
		w, err := f.locate(path, !excl && !nofollow)
		if err != nil {
			return nil, err
		}
		switch {
		case w.ip != nil && excl:
			return nil, linux.EEXIST
		case w.ip != nil && w.ip.IsDir():
			return nil, linux.EISDIR
		case w.ip != nil:
			ip = w.ip
		case w.slash:
			return nil, linux.EISDIR
		default:
			if err := f.mayAdd(w.dir); err != nil {
				return nil, err
			}
			if ip, err = f.create(w, mode); err != nil {
				return nil, err
			}
			created = true
		}
	} else {
		var err error
		if ip, err = f.resolve(path, !nofollow); err != nil {
			return nil, err
		}
	}
	acc := flags & linux.O_ACCMODE
	switch {
	case ip.IsSymlink():
		return nil, linux.ELOOP
	case flags&linux.O_DIRECTORY != 0 && !ip.IsDir():
		return nil, linux.ENOTDIR
	case ip.IsDir() && acc != linux.O_RDONLY:
		return nil, linux.EISDIR
	}
	if !created {
		if err := f.may(ip, accessOf(acc)); err != nil {
			return nil, err
		}
	}
	switch {
	case flags&linux.O_TRUNC != 0 && acc != linux.O_RDONLY && ip.Size > 0:
		return ip, f.truncate(ip, 0)
	}
	return ip, nil
}

// accessOf returns the permissions an open with access mode acc needs.
func accessOf(acc int) uint32 {
	switch acc {
	case linux.O_WRONLY:
		return permW
	case linux.O_RDWR:
		return permR | permW
	}
	return permR
}

// create makes a regular file at w, owned by the caller. (The creator
// may open it whatever its mode, as in Unix.)
func (f *FS) create(w *where, mode uint32) (*inode, error) {
	ip, err := f.ialloc(linux.S_IFREG | mode&0o7777)
	if err != nil {
		return nil, err
	}
	ip.Nlink = 1
	if err := f.iput(ip); err != nil {
		return nil, err
	}
	return ip, f.dirLink(w.dir, w.name, ip.ino, linux.DT_REG)
}

// Close closes descriptor fd of process p. The file's inode is freed if
// it had no name left and this was its last descriptor.
func (f *FS) Close(p ipc.Endpoint, fd fsproto.FD) error {
	return f.op(func() error { return f.fdFree(p, fd) })
}

// Release closes every descriptor of process p, lowest first: what a
// program's library asks at exit, and what the server does when the
// kernel says p died (Server.Exited). A file p unlinked while it held it
// open, and no one else holds, is freed with its blocks.
func (f *FS) Release(p ipc.Endpoint) error {
	t := f.procs[p]
	if t == nil {
		return nil
	}
	nums := make([]int, 0, len(t.files))
	for n := range t.files {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	var first error
	for _, n := range nums {
		if err := f.Close(p, fsproto.MakeFD(f.sb.Mounts, n)); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Read reads into buf at the descriptor's offset and advances it.
func (f *FS) Read(p ipc.Endpoint, fd fsproto.FD, buf []byte) (int, error) {
	return f.read(p, fd, buf, -1)
}

// Pread reads into buf at offset off.
func (f *FS) Pread(p ipc.Endpoint, fd fsproto.FD, buf []byte, off int64) (int, error) {
	if off < 0 {
		return 0, linux.EINVAL
	}
	return f.read(p, fd, buf, off)
}

// read reads at off, or at the descriptor's offset (advancing it) when off
// is -1.
func (f *FS) read(p ipc.Endpoint, fd fsproto.FD, buf []byte, off int64) (int, error) {
	var n int
	err := f.op(func() error {
		fl, err := f.fdGet(p, fd)
		if err != nil {
			return err
		}
		if !fl.readable() {
			return linux.EBADF
		}
		ip, err := f.iget(fl.ino)
		if err != nil {
			return err
		}
		if ip.IsDir() {
			return linux.EISDIR
		}
		at := off
		if at < 0 {
			at = fl.off
		}
		if n, err = f.readi(ip, buf, at); err == nil && off < 0 {
			fl.off += int64(n)
		}
		return err
	})
	return n, err
}

// Write writes data at the descriptor's offset (at the end with O_APPEND)
// and advances it. A disk that fills up midway gives a short count.
func (f *FS) Write(p ipc.Endpoint, fd fsproto.FD, data []byte) (int, error) {
	return f.write(p, fd, data, -1)
}

// Pwrite writes data at offset off (at the end with O_APPEND, as Linux).
func (f *FS) Pwrite(p ipc.Endpoint, fd fsproto.FD, data []byte, off int64) (int, error) {
	if off < 0 {
		return 0, linux.EINVAL
	}
	return f.write(p, fd, data, off)
}

// write writes data in pieces of at most maxRun blocks, one operation
// each, so that every piece fits in the journal.
func (f *FS) write(p ipc.Endpoint, fd fsproto.FD, data []byte, off int64) (int, error) {
	done := 0
	for {
		n, err := f.writeChunk(p, fd, data[done:], off)
		done += n
		if err != nil {
			if done > 0 && !isIO(err) {
				return done, nil
			}
			return done, err
		}
		if done == len(data) || n == 0 {
			return done, nil
		}
		if off >= 0 {
			off += int64(n)
		}
	}
}

// writeChunk writes the first piece of data.
func (f *FS) writeChunk(p ipc.Endpoint, fd fsproto.FD, data []byte, off int64) (int, error) {
	var n int
	err := f.op(func() error {
		fl, err := f.fdGet(p, fd)
		if err != nil {
			return err
		}
		if !fl.writable() {
			return linux.EBADF
		}
		ip, err := f.iget(fl.ino)
		if err != nil {
			return err
		}
		at := off
		switch {
		case fl.flags&linux.O_APPEND != 0:
			at = int64(ip.Size)
		case at < 0:
			at = fl.off
		}
		piece := data[:min(len(data), maxRun*layout.BlockSize-int(at%layout.BlockSize))]
		if n, err = f.writei(ip, piece, at); err != nil {
			n = 0
			return err
		}
		if off < 0 {
			fl.off = at + int64(n)
		}
		return nil
	})
	return n, err
}

// Seek sets the descriptor's offset: to off from the start (SEEK_SET),
// from the current offset (SEEK_CUR) or from the end (SEEK_END).
func (f *FS) Seek(p ipc.Endpoint, fd fsproto.FD, off int64, whence int) (int64, error) {
	var pos int64
	err := f.op(func() error {
		fl, err := f.fdGet(p, fd)
		if err != nil {
			return err
		}
		ip, err := f.iget(fl.ino)
		if err != nil {
			return err
		}
		switch whence {
		case linux.SEEK_SET:
			pos = off
		case linux.SEEK_CUR:
			pos = fl.off + off
		case linux.SEEK_END:
			pos = int64(ip.Size) + off
		default:
			return linux.EINVAL
		}
		if pos < 0 {
			return linux.EINVAL
		}
		fl.off = pos
		return nil
	})
	return pos, err
}

// Fstat describes the descriptor's file.
func (f *FS) Fstat(p ipc.Endpoint, fd fsproto.FD) (fsproto.Attr, error) {
	var a fsproto.Attr
	err := f.op(func() error {
		fl, err := f.fdGet(p, fd)
		if err != nil {
			return err
		}
		ip, err := f.iget(fl.ino)
		if err == nil {
			a = attr(ip)
		}
		return err
	})
	return a, err
}

// Ftruncate sets the size of the descriptor's file, which must be open
// for writing (EINVAL otherwise, as Linux).
func (f *FS) Ftruncate(p ipc.Endpoint, fd fsproto.FD, size int64) error {
	return f.op(func() error {
		fl, err := f.fdGet(p, fd)
		if err != nil {
			return err
		}
		if !fl.writable() || size < 0 {
			return linux.EINVAL
		}
		ip, err := f.iget(fl.ino)
		if err != nil {
			return err
		}
		return f.truncate(ip, size)
	})
}

// Fsync returns when everything written so far, to this file and any
// other, is on the disk: it commits the running transaction.
func (f *FS) Fsync(p ipc.Endpoint, fd fsproto.FD) error {
	if err := f.op(func() error { _, err := f.fdGet(p, fd); return err }); err != nil {
		return err
	}
	return f.Sync()
}
