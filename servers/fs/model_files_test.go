package fs_test

import (
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/fs/layout"
)

// The model's descriptors and the operations on them.

func (m *model) Open(path string, flags int, mode uint32) (int, error) {
	acc := flags & linux.O_ACCMODE
	if acc == linux.O_ACCMODE || flags&linux.O_CREAT != 0 && flags&linux.O_DIRECTORY != 0 {
		return 0, linux.EINVAL
	}
	n, undo, err := m.openNode(path, flags, mode)
	if err != nil {
		return 0, err
	}
	fd, err := m.openChecks(n, flags)
	if err != nil {
		undo() // an open that fails creates nothing
	}
	return fd, err
}

func (m *model) openChecks(n *mnode, flags int) (int, error) {
	acc := flags & linux.O_ACCMODE
	switch {
	case n.typ == linux.S_IFLNK:
		return 0, linux.ELOOP
	case flags&linux.O_DIRECTORY != 0 && !n.isDir():
		return 0, linux.ENOTDIR
	case n.isDir() && acc != linux.O_RDONLY:
		return 0, linux.EISDIR
	case len(m.fds) >= fs.MaxOpenPerProc:
		return 0, linux.EMFILE
	case flags&linux.O_TRUNC != 0 && acc != linux.O_RDONLY:
		n.data = n.data[:0]
	}
	fd := 3
	for m.fds[fd] != nil {
		fd++
	}
	m.fds[fd] = &mfile{n: n, flags: flags}
	return fd, nil
}

// openNode returns the node open opens, and how to undo its creation.
func (m *model) openNode(path string, flags int, mode uint32) (*mnode, func(), error) {
	nofollow, none := flags&linux.O_NOFOLLOW != 0, func() {}
	if flags&linux.O_CREAT == 0 {
		n, err := m.resolve(path, !nofollow)
		return n, none, err
	}
	excl := flags&linux.O_EXCL != 0
	w, err := m.locate(path, !excl && !nofollow)
	switch {
	case err != nil:
		return nil, none, err
	case w.n != nil && excl:
		return nil, none, linux.EEXIST
	case w.n != nil && w.n.isDir():
		return nil, none, linux.EISDIR
	case w.n != nil:
		return w.n, none, nil
	case w.slash:
		return nil, none, linux.EISDIR
	}
	n := &mnode{typ: linux.S_IFREG, perm: mode & 0o7777}
	m.add(w.dir, w.name, n)
	return n, func() { m.remove(w.dir, w.name) }, nil
}

func (m *model) fd(fd int) (*mfile, error) {
	if f := m.fds[fd]; f != nil {
		return f, nil
	}
	return nil, linux.EBADF
}

func (m *model) Close(fd int) error {
	if _, err := m.fd(fd); err != nil {
		return err
	}
	delete(m.fds, fd)
	return nil
}

func (m *model) Read(fd, n int) ([]byte, error) { return m.read(fd, n, -1) }

func (m *model) Pread(fd, n int, off int64) ([]byte, error) {
	if off < 0 {
		return nil, linux.EINVAL
	}
	return m.read(fd, n, off)
}

func (m *model) read(fd, n int, off int64) ([]byte, error) {
	f, err := m.fd(fd)
	switch {
	case err != nil:
		return nil, err
	case f.flags&linux.O_ACCMODE == linux.O_WRONLY:
		return nil, linux.EBADF
	case f.n.isDir():
		return nil, linux.EISDIR
	}
	at := off
	if at < 0 {
		at = f.off
	}
	var out []byte
	if at < int64(len(f.n.data)) {
		out = append(out, f.n.data[at:min(int64(len(f.n.data)), at+int64(n))]...)
	}
	if off < 0 {
		f.off += int64(len(out))
	}
	return out, nil
}

func (m *model) Write(fd int, data []byte) (int, error) { return m.write(fd, data, -1) }

func (m *model) Pwrite(fd int, data []byte, off int64) (int, error) {
	if off < 0 {
		return 0, linux.EINVAL
	}
	return m.write(fd, data, off)
}

func (m *model) write(fd int, data []byte, off int64) (int, error) {
	f, err := m.fd(fd)
	if err != nil {
		return 0, err
	}
	if f.flags&linux.O_ACCMODE == linux.O_RDONLY {
		return 0, linux.EBADF
	}
	at := off
	switch {
	case f.flags&linux.O_APPEND != 0:
		at = int64(len(f.n.data))
	case at < 0:
		at = f.off
	}
	if len(data) == 0 {
		return 0, nil
	}
	if at+int64(len(data)) > layout.MaxFileSize {
		return 0, linux.EFBIG
	}
	if end := at + int64(len(data)); end > int64(len(f.n.data)) {
		f.n.data = append(f.n.data, make([]byte, end-int64(len(f.n.data)))...)
	}
	copy(f.n.data[at:], data)
	if off < 0 {
		f.off = at + int64(len(data))
	}
	return len(data), nil
}

func (m *model) Seek(fd int, off int64, whence int) (int64, error) {
	f, err := m.fd(fd)
	if err != nil {
		return 0, err
	}
	var pos int64
	switch whence {
	case linux.SEEK_SET:
		pos = off
	case linux.SEEK_CUR:
		pos = f.off + off
	case linux.SEEK_END:
		pos = int64(len(f.n.data)) + off
		if f.n.isDir() {
			return 0, errDirEnd // the directory's size is not modelled
		}
	default:
		return 0, linux.EINVAL
	}
	if pos < 0 {
		return 0, linux.EINVAL
	}
	f.off = pos
	return pos, nil
}

// errDirEnd marks a result the model cannot know; the comparison skips it.
var errDirEnd = linux.Errno(0xffff)

func (m *model) Fstat(fd int) (fsproto.Attr, error) {
	f, err := m.fd(fd)
	if err != nil {
		return fsproto.Attr{}, err
	}
	return f.n.attr(), nil
}

func (m *model) Ftruncate(fd int, size int64) error {
	f, err := m.fd(fd)
	if err != nil {
		return err
	}
	if f.flags&linux.O_ACCMODE == linux.O_RDONLY || size < 0 {
		return linux.EINVAL
	}
	return truncate(f.n, size)
}

func (m *model) Fsync(fd int) error {
	_, err := m.fd(fd)
	return err
}
