package fs

import (
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// Layer 6: descriptors. Each process (keyed by its endpoint, which the
// kernel stamps on every request and a process cannot forge) has its own
// table of open files. Numbers start at 3, as if 0–2 were the console's,
// and the lowest free number is taken first. A descriptor also carries the
// epoch (mount count) of the file server that opened it: after a restart
// every old descriptor fails with ESTALE instead of naming another file.

// Limits on open files.
const (
	// MaxOpenPerProc is the most descriptors a process may hold (EMFILE).
	MaxOpenPerProc = 256
	// MaxOpen is the most descriptors in all (ENFILE).
	MaxOpen = 1 << 16
	// firstFD is the lowest descriptor number.
	firstFD = 3
)

// file is an open file: what a descriptor names.
type file struct {
	ino   uint32
	flags int   // the open flags (O_ACCMODE, O_APPEND, …)
	off   int64 // where the next read or write goes
}

// readable reports whether the file was opened for reading.
func (fl *file) readable() bool { return fl.flags&linux.O_ACCMODE != linux.O_WRONLY }

// writable reports whether the file was opened for writing.
func (fl *file) writable() bool { return fl.flags&linux.O_ACCMODE != linux.O_RDONLY }

// fdtable is one process's open files, by descriptor number.
type fdtable struct {
	files map[int]*file
}

// fdGet returns the open file of descriptor fd of process p.
func (f *FS) fdGet(p ipc.Endpoint, fd fsproto.FD) (*file, error) {
	if e := fd.Epoch(); e != f.sb.Mounts {
		if e != 0 && e < f.sb.Mounts {
			return nil, linux.ESTALE // opened by an earlier instance of the server
		}
		return nil, linux.EBADF
	}
	t := f.procs[p]
	if t == nil || t.files[fd.Num()] == nil {
		return nil, linux.EBADF
	}
	return t.files[fd.Num()], nil
}

// fdAlloc gives fl the lowest free descriptor of process p.
func (f *FS) fdAlloc(p ipc.Endpoint, fl *file) (fsproto.FD, error) {
	t := f.procs[p]
	if t == nil {
		t = &fdtable{files: map[int]*file{}}
	}
	if len(t.files) >= MaxOpenPerProc {
		return 0, linux.EMFILE
	}
	if f.nfiles >= f.maxOpen() {
		return 0, linux.ENFILE
	}
	f.procs[p] = t
	n := firstFD
	for t.files[n] != nil {
		n++
	}
	t.files[n] = fl
	f.nfiles++
	f.opens[fl.ino]++
	return fsproto.MakeFD(f.sb.Mounts, n), nil
}

// fdFree closes descriptor fd of p and returns its file; the inode is
// freed if this was its last descriptor and it has no name left.
func (f *FS) fdFree(p ipc.Endpoint, fd fsproto.FD) error {
	fl, err := f.fdGet(p, fd)
	if err != nil {
		return err
	}
	t := f.procs[p]
	delete(t.files, fd.Num())
	if len(t.files) == 0 {
		delete(f.procs, p)
	}
	f.nfiles--
	if f.opens[fl.ino]--; f.opens[fl.ino] > 0 {
		return nil
	}
	delete(f.opens, fl.ino)
	ip, err := f.iget(fl.ino)
	if err != nil {
		return err
	}
	if ip.Nlink == 0 {
		return f.ifree(ip)
	}
	return nil
}

// maxOpen is the limit on all open descriptors (Options.MaxOpen).
func (f *FS) maxOpen() int {
	if n := f.opts.MaxOpen; n > 0 && n < MaxOpen {
		return n
	}
	return MaxOpen
}

// Clients returns the processes that hold descriptors, in endpoint order.
func (f *FS) Clients() []ipc.Endpoint {
	eps := make([]ipc.Endpoint, 0, len(f.procs))
	for p := range f.procs {
		eps = append(eps, p)
	}
	slices.Sort(eps)
	return eps
}

// Descriptors returns the open descriptors of all processes together.
func (f *FS) Descriptors() int { return f.nfiles }

// OpenFiles returns the open descriptors of process p, for listings and
// tests.
func (f *FS) OpenFiles(p ipc.Endpoint) int {
	if t := f.procs[p]; t != nil {
		return len(t.files)
	}
	return 0
}
