package fs_test

// An in-memory model of the POSIX file system the server implements: a
// tree of nodes with no disk, no blocks and no journal, written from the
// semantics (Linux's, and the choices servers/fs documents) rather than
// from the server's code. The property tests run random operation
// sequences on both and compare every result.

import (
	"strings"

	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

type mnode struct {
	typ      uint32 // S_IFREG, S_IFDIR, S_IFLNK
	perm     uint32
	data     []byte
	target   string
	children map[string]*mnode
	parent   *mnode
	names    int  // names of a file
	gone     bool // a directory that was removed
}

type mfile struct {
	n     *mnode
	flags int
	off   int64
}

type model struct {
	root *mnode
	fds  map[int]*mfile
}

func newModel() *model {
	r := &mnode{typ: linux.S_IFDIR, perm: 0o755, children: map[string]*mnode{}}
	r.parent = r
	return &model{root: r, fds: map[int]*mfile{}}
}

func (n *mnode) isDir() bool { return n.typ == linux.S_IFDIR }

func (n *mnode) nlink() uint32 {
	if !n.isDir() {
		return uint32(n.names)
	}
	if n.gone {
		return 0
	}
	k := uint32(2)
	for _, c := range n.children {
		if c.isDir() {
			k++
		}
	}
	return k
}

func (n *mnode) attr() fsproto.Attr {
	size := int64(len(n.data))
	switch {
	case n.isDir():
		size = -1 // not compared: it depends on the directory's history
	case n.typ == linux.S_IFLNK:
		size = int64(len(n.target))
	}
	return fsproto.Attr{Mode: n.typ | n.perm, Nlink: n.nlink(), Size: size}
}

func (n *mnode) lookup(name string) *mnode {
	switch name {
	case ".":
		return n
	case "..":
		return n.parent
	}
	return n.children[name]
}

// mwhere is a path resolved up to its last component.
type mwhere struct {
	dir   *mnode
	name  string
	n     *mnode
	slash bool
}

func (w *mwhere) normal() bool { return w.name != "." && w.name != ".." && w.name != "/" }

func (m *model) locate(path string, follow bool) (*mwhere, error) {
	switch {
	case path == "":
		return nil, linux.ENOENT
	case len(path) > fsproto.PathMax:
		return nil, linux.ENAMETOOLONG
	case strings.ContainsRune(path, 0):
		return nil, linux.EINVAL
	}
	dir, rest, links := m.root, path, 0
next:
	for {
		if strings.HasPrefix(rest, "/") {
			dir = m.root
		}
		comps := strings.FieldsFunc(rest, func(r rune) bool { return r == '/' })
		slash := strings.HasSuffix(rest, "/")
		if len(comps) == 0 {
			return &mwhere{dir: m.root, name: "/", n: m.root, slash: true}, nil
		}
		for i, c := range comps {
			if len(c) > layout.NameMax {
				return nil, linux.ENAMETOOLONG
			}
			if !dir.isDir() {
				return nil, linux.ENOTDIR
			}
			child := dir.lookup(c)
			last := i == len(comps)-1
			if child == nil {
				if last {
					return &mwhere{dir: dir, name: c, slash: slash}, nil
				}
				return nil, linux.ENOENT
			}
			if child.typ == linux.S_IFLNK && (!last || follow || slash) {
				if links++; links > 40 {
					return nil, linux.ELOOP
				}
				rest = child.target + "/" + strings.Join(comps[i+1:], "/")
				if last && !slash {
					rest = child.target
				}
				continue next
			}
			if last {
				return &mwhere{dir: dir, name: c, n: child, slash: slash}, nil
			}
			dir = child
		}
	}
}

func (m *model) resolve(path string, follow bool) (*mnode, error) {
	w, err := m.locate(path, follow)
	switch {
	case err != nil:
		return nil, err
	case w.n == nil:
		return nil, linux.ENOENT
	case w.slash && !w.n.isDir():
		return nil, linux.ENOTDIR
	}
	return w.n, nil
}

func (m *model) newName(path string, wantDir bool) (*mwhere, error) {
	w, err := m.locate(path, false)
	switch {
	case err != nil:
		return nil, err
	case !w.normal() || w.n != nil:
		return nil, linux.EEXIST
	case w.slash && !wantDir:
		return nil, linux.ENOENT
	}
	return w, nil
}

func (m *model) add(dir *mnode, name string, n *mnode) {
	dir.children[name] = n
	if n.isDir() {
		n.parent = dir
	} else {
		n.names++
	}
}

func (m *model) remove(dir *mnode, name string) {
	n := dir.children[name]
	delete(dir.children, name)
	if n.isDir() {
		n.gone = true
	} else {
		n.names--
	}
}

func (m *model) Mkdir(path string, mode uint32) error {
	w, err := m.newName(path, true)
	if err != nil {
		return err
	}
	m.add(w.dir, w.name, &mnode{typ: linux.S_IFDIR, perm: mode & 0o7777, children: map[string]*mnode{}})
	return nil
}

func (m *model) Rmdir(path string) error {
	w, err := m.locate(path, false)
	switch {
	case err != nil:
		return err
	case w.name == ".":
		return linux.EINVAL
	case w.name == "..":
		return linux.ENOTEMPTY
	case w.name == "/":
		return linux.EBUSY
	case w.n == nil:
		return linux.ENOENT
	case !w.n.isDir():
		return linux.ENOTDIR
	case len(w.n.children) > 0:
		return linux.ENOTEMPTY
	}
	m.remove(w.dir, w.name)
	return nil
}

func (m *model) Unlink(path string) error {
	w, err := m.locate(path, false)
	switch {
	case err != nil:
		return err
	case !w.normal():
		return linux.EISDIR
	case w.n == nil:
		return linux.ENOENT
	case w.n.isDir():
		return linux.EISDIR
	case w.slash:
		return linux.ENOTDIR
	}
	m.remove(w.dir, w.name)
	return nil
}

func (m *model) Link(oldpath, newpath string) error {
	n, err := m.resolve(oldpath, false)
	if err != nil {
		return err
	}
	w, err := m.newName(newpath, false)
	if err != nil {
		return err
	}
	if n.isDir() {
		return linux.EPERM
	}
	m.add(w.dir, w.name, n)
	return nil
}

func (m *model) Symlink(target, path string) error {
	if target == "" {
		return linux.ENOENT
	}
	if len(target) > layout.MaxSymlink {
		return linux.ENAMETOOLONG
	}
	w, err := m.newName(path, false)
	if err != nil {
		return err
	}
	m.add(w.dir, w.name, &mnode{typ: linux.S_IFLNK, perm: 0o777, target: target})
	return nil
}

func (m *model) Readlink(path string) (string, error) {
	n, err := m.resolve(path, false)
	if err != nil {
		return "", err
	}
	if n.typ != linux.S_IFLNK {
		return "", linux.EINVAL
	}
	return n.target, nil
}

// ancestor reports whether directory a is d or above it.
func ancestor(a, d *mnode) bool {
	for {
		if d == a {
			return true
		}
		if d == d.parent {
			return false
		}
		d = d.parent
	}
}

func (m *model) Rename(oldpath, newpath string) error {
	ow, err := m.locate(oldpath, false)
	if err != nil {
		return err
	}
	if ow.normal() && ow.n == nil {
		return linux.ENOENT
	}
	nw, err := m.locate(newpath, false)
	if err != nil {
		return err
	}
	if !ow.normal() || !nw.normal() {
		return linux.EBUSY
	}
	o, v := ow.n, nw.n
	switch {
	case o.isDir() && ancestor(o, nw.dir):
		return linux.EINVAL
	case v != nil && v.isDir() && ancestor(v, ow.dir):
		return linux.ENOTEMPTY
	case (ow.slash || nw.slash) && !o.isDir():
		return linux.ENOTDIR
	case v == nil || v == o:
	case o.isDir() && !v.isDir():
		return linux.ENOTDIR
	case !o.isDir() && v.isDir():
		return linux.EISDIR
	case v.isDir() && len(v.children) > 0:
		return linux.ENOTEMPTY
	}
	if v == o {
		return nil
	}
	if v != nil {
		m.remove(nw.dir, nw.name)
	}
	m.remove(ow.dir, ow.name)
	o.gone = false
	m.add(nw.dir, nw.name, o)
	return nil
}

func (m *model) Stat(path string) (fsproto.Attr, error)  { return m.stat(path, true) }
func (m *model) Lstat(path string) (fsproto.Attr, error) { return m.stat(path, false) }

func (m *model) stat(path string, follow bool) (fsproto.Attr, error) {
	n, err := m.resolve(path, follow)
	if err != nil {
		return fsproto.Attr{}, err
	}
	return n.attr(), nil
}

func (m *model) Chmod(path string, mode uint32) error {
	n, err := m.resolve(path, true)
	if err == nil {
		n.perm = mode & 0o7777
	}
	return err
}

func (m *model) Truncate(path string, size int64) error {
	if size < 0 {
		return linux.EINVAL
	}
	n, err := m.resolve(path, true)
	if err != nil {
		return err
	}
	return truncate(n, size)
}

func truncate(n *mnode, size int64) error {
	switch {
	case n.isDir():
		return linux.EISDIR
	case size > layout.MaxFileSize:
		return linux.EFBIG
	}
	if size <= int64(len(n.data)) {
		n.data = n.data[:size]
	} else {
		n.data = append(n.data, make([]byte, size-int64(len(n.data)))...)
	}
	return nil
}

func (m *model) ReadDir(path string) ([]string, error) {
	n, err := m.resolve(path, true)
	if err != nil {
		return nil, err
	}
	if !n.isDir() {
		return nil, linux.ENOTDIR
	}
	names := []string{".", ".."}
	for name := range n.children {
		names = append(names, name)
	}
	return names, nil
}
