package ulib

import (
	"errors"
	"io"
	"path"
	"strings"

	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// The calls on descriptors, whatever server holds the file, and the
// working directory.

// Open opens path with flags (linux.O_RDONLY, O_WRONLY, O_RDWR, O_CREAT,
// O_EXCL, O_TRUNC, O_APPEND, …) and, for a file it creates, permission bits
// mode; it returns the lowest free descriptor. A relative path starts at
// the working directory. A path under /dev/ opens a device of a stream
// service (Devices); every other path is the file server's.
func (p *Proc) Open(path string, flags int, mode uint32) (int, error) {
	abs, err := p.abs(path)
	if err != nil {
		return -1, err
	}
	if name, ok := devPath(abs); ok {
		return p.openDevice(name, flags)
	}
	return p.openFS(abs, flags, mode)
}

// Create opens path for writing, creating or truncating it, as creat(2).
func (p *Proc) Create(path string, mode uint32) (int, error) {
	return p.Open(path, linux.O_WRONLY|linux.O_CREAT|linux.O_TRUNC, mode)
}

// Read reads up to len(buf) bytes from fd; 0 bytes and no error is the
// end of the file (or of the stream: its last writer closed it).
func (p *Proc) Read(fd int, buf []byte) (int, error) {
	f, err := p.file(fd)
	if err != nil {
		return 0, err
	}
	if f.kind == kindStream {
		return p.readStream(f, buf)
	}
	return p.readFS(f, buf)
}

// Write writes all of data to fd and returns the bytes written, fewer
// only with an error.
func (p *Proc) Write(fd int, data []byte) (int, error) {
	f, err := p.file(fd)
	if err != nil {
		return 0, err
	}
	if f.kind == kindStream {
		n, err := p.writeStream(f, data)
		if errors.Is(err, linux.EPIPE) {
			p.raisePipe()
		}
		return n, err
	}
	return p.writeFS(f, data)
}

// raisePipe sends the program SIGPIPE, as a write to a pipe with no reader
// does in Unix: by default it ends the program quietly (status 141), the
// way `cat big | head -1` stops cat. A program that ignores or catches
// SIGPIPE goes on and sees EPIPE.
func (p *Proc) raisePipe() {
	if pid, err := p.Getpid(); err == nil {
		_ = p.Kill(pid, linux.SIGPIPE)
		p.Poll() // a caught SIGPIPE runs its handler now
	}
}

// Lseek moves fd's offset as lseek(2) does (whence linux.SEEK_SET,
// SEEK_CUR, SEEK_END) and returns it. ESPIPE on a stream.
func (p *Proc) Lseek(fd int, off int64, whence int) (int64, error) {
	f, err := p.fsFile(fd)
	if err != nil {
		return 0, err
	}
	var pos int64
	err = p.fdRetry(f, func(c fsproto.Client, fd fsproto.FD) error {
		pos, err = c.Seek(fd, off, whence)
		return err
	})
	if err == nil {
		f.off = pos
	}
	return pos, err
}

// Pread reads up to len(buf) bytes at offset off, leaving fd's offset
// alone.
func (p *Proc) Pread(fd int, buf []byte, off int64) (int, error) {
	f, err := p.fsFile(fd)
	if err != nil {
		return 0, err
	}
	var n int
	err = p.fdRetry(f, func(c fsproto.Client, fd fsproto.FD) error {
		n, err = c.Pread(fd, buf, off)
		return err
	})
	return n, err
}

// Pwrite writes all of data at offset off, leaving fd's offset alone.
func (p *Proc) Pwrite(fd int, data []byte, off int64) (int, error) {
	f, err := p.fsFile(fd)
	if err != nil {
		return 0, err
	}
	var n int
	err = p.fdRetry(f, func(c fsproto.Client, fd fsproto.FD) error {
		n, err = c.Pwrite(fd, data, off)
		return err
	})
	return n, err
}

// fsFile returns fd's open file, which must be the file server's
// (ESPIPE for a stream).
func (p *Proc) fsFile(fd int) (*openFile, error) {
	f, err := p.file(fd)
	if err == nil && f.kind != kindFS {
		err = linux.ESPIPE
	}
	return f, err
}

// Fstat describes fd's file. A stream is a character device (a pipe: a
// FIFO) with no size.
func (p *Proc) Fstat(fd int) (fsproto.Attr, error) {
	f, err := p.file(fd)
	if err != nil {
		return fsproto.Attr{}, err
	}
	if f.kind == kindStream {
		return streamAttr(f.dev), nil
	}
	var a fsproto.Attr
	err = p.fdRetry(f, func(c fsproto.Client, fd fsproto.FD) error {
		a, err = c.Fstat(fd)
		return err
	})
	return a, err
}

// Getcwd returns the working directory.
func (p *Proc) Getcwd() string { return p.table().cwd }

// Chdir makes path the working directory; it must be a directory the
// process may search (EACCES otherwise).
func (p *Proc) Chdir(dir string) error {
	abs, err := p.abs(dir)
	if err != nil {
		return err
	}
	a, err := p.Stat(abs)
	if err != nil {
		return err
	}
	if !a.IsDir() {
		return linux.ENOTDIR
	}
	if _, dev := devPath(abs); !dev && abs != "/dev" {
		if err := p.Access(abs, fsproto.AccessX); err != nil {
			return err
		}
	}
	p.table().cwd = abs
	return nil
}

// Abs returns path made absolute from the working directory and cleaned
// ("a/../b" is "b"; mkos resolves ".." by name, not through symbolic
// links). ENOENT for an empty path, as open("") fails.
func (p *Proc) Abs(name string) (string, error) { return p.abs(name) }

func (p *Proc) abs(name string) (string, error) {
	if name == "" {
		return "", linux.ENOENT
	}
	if len(name) > fsproto.PathMax {
		return "", linux.ENAMETOOLONG
	}
	if !strings.HasPrefix(name, "/") {
		name = p.table().cwd + "/" + name
	}
	return path.Clean(name), nil
}

// File is a descriptor as an io.Reader and io.Writer, for fmt and bufio.
type File struct {
	p  *Proc
	fd int
}

// File returns descriptor fd as an io.Reader and io.Writer.
func (p *Proc) File(fd int) *File { return &File{p: p, fd: fd} }

// WriteError is a failed write to a descriptor, naming the file it is
// open on: "write error: /dev/full: no space left on device".
type WriteError struct {
	Path string // FdPath's name; "" for a pipe or the console
	Err  error
}

func (e *WriteError) Error() string {
	name := e.Path
	if name == "" {
		name = "standard output"
	}
	return "write error: " + name + ": " + Strerror(e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }

// FailedWrites wraps fd as a writer that keeps its first failed write, for
// a program that writes through a library which drops write errors (fmt,
// cobra): first returns it as a *WriteError, or nil.
func (p *Proc) FailedWrites(fd int) (w io.Writer, first func() error) {
	fw := &failedWrites{f: p.File(fd), p: p, fd: fd}
	return fw, func() error {
		if fw.err == nil {
			return nil
		}
		return fw.err
	}
}

type failedWrites struct {
	f   *File
	p   *Proc
	fd  int
	err *WriteError
}

func (w *failedWrites) Write(b []byte) (int, error) {
	n, err := w.f.Write(b)
	if err != nil && w.err == nil {
		w.err = &WriteError{Path: w.p.FdPath(w.fd), Err: err}
	}
	return n, err
}

// Read reads as Proc.Read, returning io.EOF at the end.
func (f *File) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, err := f.p.Read(f.fd, b)
	if n == 0 && err == nil {
		return 0, io.EOF
	}
	return n, err
}

// Write writes as Proc.Write.
func (f *File) Write(b []byte) (int, error) { return f.p.Write(f.fd, b) }

// Fd returns the descriptor number.
func (f *File) Fd() int { return f.fd }

// ReadFile reads the whole file at path.
func (p *Proc) ReadFile(name string) ([]byte, error) {
	fd, err := p.Open(name, linux.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer p.Close(fd)
	return io.ReadAll(p.File(fd))
}

// WriteFile creates or truncates the file at path and writes data to it.
func (p *Proc) WriteFile(name string, data []byte, mode uint32) error {
	fd, err := p.Create(name, mode)
	if err != nil {
		return err
	}
	_, err = p.Write(fd, data)
	if cerr := p.Close(fd); err == nil {
		err = cerr
	}
	return err
}
