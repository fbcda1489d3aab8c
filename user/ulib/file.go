package ulib

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// The descriptor table. LECTURE: file-descriptors
//
// A descriptor is a small int, an index into the program's table, as in
// xv6's proc->ofile. Each entry points to an open file: a descriptor of
// the file server (a path, flags and an offset the library tracks), or a
// handle of a stream service (tty, pipe, memdev). Dup and Dup2 make two
// numbers share one open file, and its offset; the open file is closed
// when its last number is.

// kind says which server an open file lives in.
type kind uint8

const (
	kindFS     kind = iota + 1 // the file server
	kindStream                 // a stream service (tty, pipe, memdev)
)

// openFile is what a descriptor names.
type openFile struct {
	refs int // descriptor numbers that share it
	kind kind

	// kindFS: the server's descriptor, and what reopening it takes.
	fd    fsproto.FD
	path  string // absolute
	flags int
	off   int64 // the offset, as the library last saw it
	// atEnd: every write goes to the end of the file (seek first). Set
	// on a file shared with a child at its end (see inherit.go).
	atEnd bool

	// kindStream: the service and the handle.
	svc ipc.ServiceID
	h   streamproto.Handle
	dev string // the device name (tty, null, …); "pipe" for a pipe
}

// writable reports whether the file was opened for writing.
func (f *openFile) writable() bool { return f.flags&linux.O_ACCMODE != linux.O_RDONLY }

// files is the program's descriptor table and working directory.
type files struct {
	fds []*openFile
	cwd string

	fs      fsproto.Client
	fsReady bool
	svcs    map[string]ipc.ServiceID // stream services looked up so far
}

// table returns the descriptor table, loading what the process
// inherited the first time.
func (p *Proc) table() *files {
	if p.files == nil {
		p.files = &files{cwd: "/", svcs: map[string]ipc.ServiceID{}}
		if _, spawned := p.Sys.(pmproto.Wrapped); spawned {
			p.inherit()
		}
	}
	return p.files
}

// file returns descriptor fd's open file, or EBADF.
func (p *Proc) file(fd int) (*openFile, error) {
	t := p.table()
	if fd < 0 || fd >= len(t.fds) || t.fds[fd] == nil {
		return nil, linux.EBADF
	}
	return t.fds[fd], nil
}

// install puts f at the lowest free descriptor number (at least min).
func (p *Proc) install(f *openFile, min int) int {
	t := p.table()
	n := min
	for n < len(t.fds) && t.fds[n] != nil {
		n++
	}
	p.installAt(f, n)
	return n
}

// installAt puts f at descriptor number n, which must be free.
func (p *Proc) installAt(f *openFile, n int) {
	t := p.table()
	for len(t.fds) <= n {
		t.fds = append(t.fds, nil)
	}
	t.fds[n] = f
	f.refs++
}

// maxFds bounds the descriptor numbers, as RLIMIT_NOFILE does.
const maxFds = 256

// Close closes descriptor fd; the open file is closed when no other
// number shares it. Closing a file of a file server that restarted since
// succeeds: the server has forgotten it already.
func (p *Proc) Close(fd int) error {
	f, err := p.file(fd)
	if err != nil {
		return err
	}
	p.files.fds[fd] = nil
	if f.refs--; f.refs > 0 {
		return nil
	}
	return p.release(f)
}

// release closes an open file in its server.
func (p *Proc) release(f *openFile) error {
	switch f.kind {
	case kindStream:
		return p.stream(f.svc).Close(f.h)
	case kindFS:
		c, err := p.fsClient()
		if err != nil {
			return err
		}
		if err := c.Close(f.fd); err != nil && !lostByRestart(err) {
			return err
		}
	}
	return nil
}

// Dup makes the lowest free descriptor number share fd's open file.
func (p *Proc) Dup(fd int) (int, error) {
	f, err := p.file(fd)
	if err != nil {
		return -1, err
	}
	return p.install(f, 0), nil
}

// Dup2 makes newfd share oldfd's open file, closing newfd first if it is
// open; Dup2(fd, fd) does nothing.
func (p *Proc) Dup2(oldfd, newfd int) (int, error) {
	f, err := p.file(oldfd)
	if err != nil {
		return -1, err
	}
	if newfd < 0 || newfd >= maxFds {
		return -1, linux.EBADF
	}
	if oldfd == newfd {
		return newfd, nil
	}
	if _, err := p.file(newfd); err == nil {
		_ = p.Close(newfd) // as dup2(2): an error closing newfd is not reported
	}
	p.installAt(f, newfd)
	return newfd, nil
}

// FdPath returns the name of the file descriptor fd is open on: its
// absolute path for a file of the file server, /dev/NAME for a device,
// "" for a pipe, another stream or a descriptor that is not open. A
// program names the file in an error about it, as `cat /a > /dev/full`
// says "write error: /dev/full".
func (p *Proc) FdPath(fd int) string {
	f, err := p.file(fd)
	switch {
	case err != nil:
		return ""
	case f.kind == kindFS:
		return f.path
	case f.dev != "" && f.dev != "pipe":
		if _, ok := Devices[f.dev]; ok {
			return "/dev/" + f.dev
		}
	}
	return ""
}

// OpenFds returns the open descriptor numbers in order.
func (p *Proc) OpenFds() []int {
	var out []int
	for n, f := range p.table().fds {
		if f != nil {
			out = append(out, n)
		}
	}
	return out
}

// CloseAll closes every descriptor and tells the file server the process
// holds none. Exit and Main do it; a program that ends otherwise should,
// or the readers of its pipes never see their end.
func (p *Proc) CloseAll() {
	if p.files == nil && !p.spawned() {
		return
	}
	fs := false
	for n, f := range p.table().fds {
		if f == nil {
			continue
		}
		fs = fs || f.kind == kindFS
		p.files.fds[n] = nil
		if f.refs--; f.refs == 0 && f.kind == kindStream {
			_ = p.release(f)
		}
	}
	if fs {
		if c, err := p.fsClient(); err == nil {
			_ = c.Release()
		}
	}
}

// spawned reports whether pm spawned the task (so it may have inherited
// descriptors).
func (p *Proc) spawned() bool {
	_, ok := p.Sys.(pmproto.Wrapped)
	return ok
}
