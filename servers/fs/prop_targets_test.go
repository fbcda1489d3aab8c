package fs_test

import (
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/servers/fs"
)

// engineTarget runs operations on an FS directly.
type engineTarget struct {
	f   *fs.FS
	fds map[int]fsproto.FD
}

func (e *engineTarget) fd(n int) fsproto.FD {
	if fd, ok := e.fds[n]; ok {
		return fd
	}
	return fsproto.FD(uint32(n))
}

func (e *engineTarget) Open(path string, flags int, mode uint32) (int, error) {
	fd, err := e.f.Open(proc, path, flags, mode)
	if err != nil {
		return 0, err
	}
	e.fds[fd.Num()] = fd
	return fd.Num(), nil
}

func (e *engineTarget) Close(fd int) error { return e.f.Close(proc, e.fd(fd)) }

func (e *engineTarget) Read(fd, n int) ([]byte, error) {
	b := make([]byte, n)
	k, err := e.f.Read(proc, e.fd(fd), b)
	return b[:k], err
}

func (e *engineTarget) Pread(fd, n int, off int64) ([]byte, error) {
	b := make([]byte, n)
	k, err := e.f.Pread(proc, e.fd(fd), b, off)
	return b[:k], err
}

func (e *engineTarget) Write(fd int, data []byte) (int, error) {
	return e.f.Write(proc, e.fd(fd), data)
}

func (e *engineTarget) Pwrite(fd int, data []byte, off int64) (int, error) {
	return e.f.Pwrite(proc, e.fd(fd), data, off)
}

func (e *engineTarget) Seek(fd int, off int64, whence int) (int64, error) {
	return e.f.Seek(proc, e.fd(fd), off, whence)
}

func (e *engineTarget) Fstat(fd int) (fsproto.Attr, error) { return e.f.Fstat(proc, e.fd(fd)) }
func (e *engineTarget) Ftruncate(fd int, size int64) error {
	return e.f.Ftruncate(proc, e.fd(fd), size)
}
func (e *engineTarget) Fsync(fd int) error                  { return e.f.Fsync(proc, e.fd(fd)) }
func (e *engineTarget) Stat(p string) (fsproto.Attr, error) { return e.f.Stat(p) }
func (e *engineTarget) Lstat(p string) (fsproto.Attr, error) {
	return e.f.Lstat(p)
}
func (e *engineTarget) Mkdir(p string, mode uint32) error { return e.f.Mkdir(p, mode) }
func (e *engineTarget) Rmdir(p string) error              { return e.f.Rmdir(p) }
func (e *engineTarget) Unlink(p string) error             { return e.f.Unlink(p) }
func (e *engineTarget) Rename(a, b string) error          { return e.f.Rename(a, b) }
func (e *engineTarget) Link(a, b string) error            { return e.f.Link(a, b) }
func (e *engineTarget) Symlink(t, p string) error         { return e.f.Symlink(t, p) }
func (e *engineTarget) Readlink(p string) (string, error) { return e.f.Readlink(p) }
func (e *engineTarget) Truncate(p string, n int64) error  { return e.f.Truncate(p, n) }
func (e *engineTarget) Chmod(p string, mode uint32) error { return e.f.Chmod(p, mode) }

func (e *engineTarget) ReadDir(p string) ([]string, error) {
	var names []string
	_, _, err := e.f.ReadDir(p, 0, func(d fsproto.DirEntry) bool {
		names = append(names, d.Name)
		return true
	})
	return names, err
}

// clientTarget runs operations through the file server's client stubs.
type clientTarget struct {
	c   fsproto.Client
	fds map[int]fsproto.FD
}

func (c *clientTarget) fd(n int) fsproto.FD {
	if fd, ok := c.fds[n]; ok {
		return fd
	}
	return fsproto.FD(uint32(n))
}

func (c *clientTarget) Open(path string, flags int, mode uint32) (int, error) {
	fd, err := c.c.Open(path, flags, mode)
	if err != nil {
		return 0, err
	}
	c.fds[fd.Num()] = fd
	return fd.Num(), nil
}

func (c *clientTarget) Close(fd int) error { return c.c.Close(c.fd(fd)) }

func (c *clientTarget) Read(fd, n int) ([]byte, error) {
	b := make([]byte, n)
	k, err := c.c.Read(c.fd(fd), b)
	return b[:k], err
}

func (c *clientTarget) Pread(fd, n int, off int64) ([]byte, error) {
	b := make([]byte, n)
	k, err := c.c.Pread(c.fd(fd), b, off)
	return b[:k], err
}

func (c *clientTarget) Write(fd int, data []byte) (int, error) { return c.c.Write(c.fd(fd), data) }
func (c *clientTarget) Pwrite(fd int, data []byte, off int64) (int, error) {
	return c.c.Pwrite(c.fd(fd), data, off)
}
func (c *clientTarget) Seek(fd int, off int64, whence int) (int64, error) {
	return c.c.Seek(c.fd(fd), off, whence)
}
func (c *clientTarget) Fstat(fd int) (fsproto.Attr, error)   { return c.c.Fstat(c.fd(fd)) }
func (c *clientTarget) Ftruncate(fd int, size int64) error   { return c.c.Ftruncate(c.fd(fd), size) }
func (c *clientTarget) Fsync(fd int) error                   { return c.c.Fsync(c.fd(fd)) }
func (c *clientTarget) Stat(p string) (fsproto.Attr, error)  { return c.c.Stat(p) }
func (c *clientTarget) Lstat(p string) (fsproto.Attr, error) { return c.c.Lstat(p) }
func (c *clientTarget) Mkdir(p string, mode uint32) error    { return c.c.Mkdir(p, mode) }
func (c *clientTarget) Rmdir(p string) error                 { return c.c.Rmdir(p) }
func (c *clientTarget) Unlink(p string) error                { return c.c.Unlink(p) }
func (c *clientTarget) Rename(a, b string) error             { return c.c.Rename(a, b) }
func (c *clientTarget) Link(a, b string) error               { return c.c.Link(a, b) }
func (c *clientTarget) Symlink(t, p string) error            { return c.c.Symlink(t, p) }
func (c *clientTarget) Readlink(p string) (string, error)    { return c.c.Readlink(p) }
func (c *clientTarget) Truncate(p string, n int64) error     { return c.c.Truncate(p, n) }
func (c *clientTarget) Chmod(p string, mode uint32) error    { return c.c.Chmod(p, mode) }

func (c *clientTarget) ReadDir(p string) ([]string, error) {
	es, err := c.c.ReadDir(p)
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Name
	}
	return names, err
}
