package wasi

import (
	"io"
	"io/fs"

	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/user/ulib"
	wsys "github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/sys"
)

// file is an open file of a wasm program: a descriptor of its process
// (ulib), so reads and writes are messages to the server that holds it.
type file struct {
	wsys.UnimplementedFile
	p      *ulib.Proc
	fd     int
	append bool
}

// Ino implements sys.File.
func (f *file) Ino() (sys.Inode, wsys.Errno) {
	st, errno := f.Stat()
	return st.Ino, errno
}

// IsAppend implements sys.File.
func (f *file) IsAppend() bool { return f.append }

// Stat implements sys.File.
func (f *file) Stat() (sys.Stat_t, wsys.Errno) {
	a, err := f.p.Fstat(f.fd)
	return statOf(a), toErrno(err)
}

// Read implements sys.File.
func (f *file) Read(buf []byte) (int, wsys.Errno) {
	if len(buf) == 0 {
		return 0, 0
	}
	n, err := f.p.Read(f.fd, buf)
	return n, toErrno(err)
}

// Pread implements sys.File.
func (f *file) Pread(buf []byte, off int64) (int, wsys.Errno) {
	n, err := f.p.Pread(f.fd, buf, off)
	return n, toErrno(err)
}

// Seek implements sys.File.
func (f *file) Seek(off int64, whence int) (int64, wsys.Errno) {
	n, err := f.p.Lseek(f.fd, off, whence)
	return n, toErrno(err)
}

// Readdir implements sys.File: a file is no directory.
func (f *file) Readdir(int) ([]wsys.Dirent, wsys.Errno) { return nil, wsys.ENOTDIR }

// Write implements sys.File.
func (f *file) Write(buf []byte) (int, wsys.Errno) {
	n, err := f.p.Write(f.fd, buf)
	return n, toErrno(err)
}

// Pwrite implements sys.File.
func (f *file) Pwrite(buf []byte, off int64) (int, wsys.Errno) {
	n, err := f.p.Pwrite(f.fd, buf, off)
	return n, toErrno(err)
}

// Truncate implements sys.File.
func (f *file) Truncate(size int64) wsys.Errno { return toErrno(f.p.Ftruncate(f.fd, size)) }

// Sync implements sys.File.
func (f *file) Sync() wsys.Errno { return toErrno(f.p.Fsync(f.fd)) }

// Datasync implements sys.File.
func (f *file) Datasync() wsys.Errno { return f.Sync() }

// Utimens implements sys.File: the file server keeps its own times.
func (f *file) Utimens(int64, int64) wsys.Errno { return 0 }

// Close implements sys.File.
func (f *file) Close() wsys.Errno { return toErrno(f.p.Close(f.fd)) }

// dirFile is an open directory: its entries come from one ReadDir of the
// file server, fetched at the first Readdir and again after a rewind.
type dirFile struct {
	wsys.UnimplementedFile
	p       *ulib.Proc
	path    string
	attr    fsproto.Attr
	entries []wsys.Dirent
	read    bool // entries holds what is left to read
}

// Ino implements sys.File.
func (d *dirFile) Ino() (sys.Inode, wsys.Errno) { return d.attr.Ino, 0 }

// IsDir implements sys.File.
func (d *dirFile) IsDir() (bool, wsys.Errno) { return true, 0 }

// Stat implements sys.File.
func (d *dirFile) Stat() (sys.Stat_t, wsys.Errno) {
	a, err := d.p.Stat(d.path)
	return statOf(a), toErrno(err)
}

// Read implements sys.File.
func (d *dirFile) Read([]byte) (int, wsys.Errno) { return 0, wsys.EISDIR }

// Write implements sys.File.
func (d *dirFile) Write([]byte) (int, wsys.Errno) { return 0, wsys.EISDIR }

// Seek implements sys.File: only a rewind, which the next Readdir follows
// with a fresh listing.
func (d *dirFile) Seek(off int64, whence int) (int64, wsys.Errno) {
	if off != 0 || whence != io.SeekStart {
		return 0, wsys.EINVAL
	}
	d.entries, d.read = nil, false
	return 0, 0
}

// Readdir implements sys.File: up to n entries (all when n <= 0), without
// "." and "..", which wazero adds.
func (d *dirFile) Readdir(n int) ([]wsys.Dirent, wsys.Errno) {
	if !d.read {
		es, err := d.p.ReadDir(d.path)
		if err != nil {
			return nil, toErrno(err)
		}
		d.entries, d.read = nil, true
		for _, e := range es {
			if e.Name == "." || e.Name == ".." {
				continue
			}
			d.entries = append(d.entries, wsys.Dirent{Ino: e.Ino, Name: e.Name, Type: direntType(e.Type)})
		}
	}
	if n <= 0 || n > len(d.entries) {
		n = len(d.entries)
	}
	out := d.entries[:n]
	d.entries = d.entries[n:]
	return out, 0
}

// Sync implements sys.File.
func (d *dirFile) Sync() wsys.Errno { return 0 }

// Datasync implements sys.File.
func (d *dirFile) Datasync() wsys.Errno { return 0 }

// Utimens implements sys.File.
func (d *dirFile) Utimens(int64, int64) wsys.Errno { return 0 }

// Close implements sys.File.
func (d *dirFile) Close() wsys.Errno { return 0 }

// direntType is the type bits of an fs.FileMode for a dirent type.
func direntType(t uint8) fs.FileMode {
	switch t {
	case linux.DT_DIR:
		return fs.ModeDir
	case linux.DT_LNK:
		return fs.ModeSymlink
	case linux.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case linux.DT_FIFO:
		return fs.ModeNamedPipe
	}
	return 0
}
