package fusemount

import (
	"context"
	"path"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// node is a file or directory of the mounted image, named by its path
// from the root: every request on it is an fsproto call by path, or by
// descriptor through its handle.
type node struct {
	fs.Inode
	m *mount
}

var (
	_ fs.NodeLookuper   = (*node)(nil)
	_ fs.NodeGetattrer  = (*node)(nil)
	_ fs.NodeSetattrer  = (*node)(nil)
	_ fs.NodeReaddirer  = (*node)(nil)
	_ fs.NodeOpener     = (*node)(nil)
	_ fs.NodeCreater    = (*node)(nil)
	_ fs.NodeMkdirer    = (*node)(nil)
	_ fs.NodeUnlinker   = (*node)(nil)
	_ fs.NodeRmdirer    = (*node)(nil)
	_ fs.NodeRenamer    = (*node)(nil)
	_ fs.NodeReadlinker = (*node)(nil)
	_ fs.NodeSymlinker  = (*node)(nil)
	_ fs.NodeLinker     = (*node)(nil)
	_ fs.NodeStatfser   = (*node)(nil)
)

// path is the node's absolute path in the image.
func (n *node) path() string { return "/" + n.Path(nil) }

// child is the path of name in directory n.
func (n *node) child(name string) string { return path.Join(n.path(), name) }

// do runs op in the system and returns its error as an errno.
func (n *node) do(op func(c fsproto.Client) error) syscall.Errno {
	return syscall.Errno(errnoOf(n.m.b.do(op)))
}

// writable refuses a change to a read-only mount.
func (n *node) writable() syscall.Errno {
	if n.m.readOnly {
		return syscall.EROFS
	}
	return 0
}

// newChild makes the inode of the file at p with attributes a.
func (n *node) newChild(ctx context.Context, a fsproto.Attr, out *fuse.EntryOut) *fs.Inode {
	fillAttr(&out.Attr, a)
	return n.NewInode(ctx, &node{m: n.m}, fs.StableAttr{Mode: a.Mode & linux.S_IFMT, Ino: a.Ino + 1})
}

// Lookup implements fs.NodeLookuper.
func (n *node) Lookup(ctx context.Context, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	var a fsproto.Attr
	e := n.do(func(c fsproto.Client) (err error) { a, err = c.Lstat(n.child(name)); return })
	if e != 0 {
		return nil, e
	}
	return n.newChild(ctx, a, out), 0
}

// Getattr implements fs.NodeGetattrer.
func (n *node) Getattr(ctx context.Context, f fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	var a fsproto.Attr
	e := n.do(func(c fsproto.Client) (err error) {
		if h, ok := f.(*handle); ok {
			a, err = c.Fstat(h.fd)
		} else {
			a, err = c.Lstat(n.path())
		}
		return
	})
	if e == 0 {
		fillAttr(&out.Attr, a)
	}
	return e
}

// Setattr implements fs.NodeSetattrer: size, mode and owner; the file
// server keeps its own times, so setting them changes nothing.
func (n *node) Setattr(ctx context.Context, f fs.FileHandle, in *fuse.SetAttrIn, out *fuse.AttrOut) syscall.Errno {
	_, hasSize := in.GetSize()
	_, hasMode := in.GetMode()
	_, hasUID := in.GetUID()
	_, hasGID := in.GetGID()
	if hasSize || hasMode || hasUID || hasGID {
		if e := n.writable(); e != 0 {
			return e
		}
	}
	p := n.path()
	e := n.do(func(c fsproto.Client) error {
		if size, ok := in.GetSize(); ok {
			if err := c.Truncate(p, int64(size)); err != nil {
				return err
			}
		}
		if mode, ok := in.GetMode(); ok {
			if err := c.Chmod(p, mode&0o7777); err != nil {
				return err
			}
		}
		if hasUID || hasGID {
			a, err := c.Lstat(p)
			if err != nil {
				return err
			}
			uid, gid := a.UID, a.GID
			if v, ok := in.GetUID(); ok {
				uid = v
			}
			if v, ok := in.GetGID(); ok {
				gid = v
			}
			return c.Chown(p, uid, gid)
		}
		return nil
	})
	if e != 0 {
		return e
	}
	return n.Getattr(ctx, f, out)
}

// Readdir implements fs.NodeReaddirer: one ReadDir of the directory,
// without "." and "..".
func (n *node) Readdir(ctx context.Context) (fs.DirStream, syscall.Errno) {
	var es []fsproto.DirEntry
	e := n.do(func(c fsproto.Client) (err error) { es, err = c.ReadDir(n.path()); return })
	if e != 0 {
		return nil, e
	}
	list := make([]fuse.DirEntry, 0, len(es))
	for _, d := range es {
		if d.Name == "." || d.Name == ".." {
			continue
		}
		list = append(list, fuse.DirEntry{Name: d.Name, Ino: d.Ino + 1, Mode: uint32(d.Type) << 12})
	}
	return fs.NewListDirStream(list), 0
}

// openFlags keeps the flags of open(2) the file server knows.
func openFlags(flags uint32) int {
	return int(flags) & (linux.O_ACCMODE | linux.O_APPEND | linux.O_TRUNC | linux.O_CREAT | linux.O_EXCL | linux.O_DIRECTORY | linux.O_NOFOLLOW)
}

// Open implements fs.NodeOpener.
func (n *node) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	if int(flags)&linux.O_ACCMODE != linux.O_RDONLY || int(flags)&linux.O_TRUNC != 0 {
		if e := n.writable(); e != 0 {
			return nil, 0, e
		}
	}
	h := &handle{n: n}
	e := n.do(func(c fsproto.Client) (err error) { h.fd, err = c.Open(n.path(), openFlags(flags), 0); return })
	if e != 0 {
		return nil, 0, e
	}
	return h, 0, 0
}

// Create implements fs.NodeCreater.
func (n *node) Create(ctx context.Context, name string, flags, mode uint32, out *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	if e := n.writable(); e != 0 {
		return nil, nil, 0, e
	}
	var a fsproto.Attr
	h := &handle{}
	e := n.do(func(c fsproto.Client) (err error) {
		if h.fd, err = c.Open(n.child(name), openFlags(flags)|linux.O_CREAT, mode&0o7777); err != nil {
			return err
		}
		a, err = c.Fstat(h.fd)
		return err
	})
	if e != 0 {
		return nil, nil, 0, e
	}
	child := n.newChild(ctx, a, out)
	h.n = child.Operations().(*node)
	return child, h, 0, 0
}

// Mkdir implements fs.NodeMkdirer.
func (n *node) Mkdir(ctx context.Context, name string, mode uint32, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	return n.make(ctx, out, name, func(c fsproto.Client, p string) error { return c.Mkdir(p, mode&0o7777) })
}

// Symlink implements fs.NodeSymlinker.
func (n *node) Symlink(ctx context.Context, target, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	return n.make(ctx, out, name, func(c fsproto.Client, p string) error { return c.Symlink(target, p) })
}

// Link implements fs.NodeLinker.
func (n *node) Link(ctx context.Context, target fs.InodeEmbedder, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	old := "/" + target.EmbeddedInode().Path(nil)
	return n.make(ctx, out, name, func(c fsproto.Client, p string) error { return c.Link(old, p) })
}

// make creates name in n with mk, then looks it up.
func (n *node) make(ctx context.Context, out *fuse.EntryOut, name string, mk func(c fsproto.Client, p string) error) (*fs.Inode, syscall.Errno) {
	if e := n.writable(); e != 0 {
		return nil, e
	}
	p := n.child(name)
	var a fsproto.Attr
	e := n.do(func(c fsproto.Client) (err error) {
		if err = mk(c, p); err != nil {
			return err
		}
		a, err = c.Lstat(p)
		return err
	})
	if e != 0 {
		return nil, e
	}
	return n.newChild(ctx, a, out), 0
}

// Unlink implements fs.NodeUnlinker.
func (n *node) Unlink(ctx context.Context, name string) syscall.Errno {
	if e := n.writable(); e != 0 {
		return e
	}
	return n.do(func(c fsproto.Client) error { return c.Unlink(n.child(name)) })
}

// Rmdir implements fs.NodeRmdirer.
func (n *node) Rmdir(ctx context.Context, name string) syscall.Errno {
	if e := n.writable(); e != 0 {
		return e
	}
	return n.do(func(c fsproto.Client) error { return c.Rmdir(n.child(name)) })
}

// Rename implements fs.NodeRenamer; the flags of renameat2 (no replace,
// exchange) are not supported.
func (n *node) Rename(ctx context.Context, name string, newParent fs.InodeEmbedder, newName string, flags uint32) syscall.Errno {
	if e := n.writable(); e != 0 {
		return e
	}
	if flags != 0 {
		return syscall.EINVAL
	}
	to := path.Join("/"+newParent.EmbeddedInode().Path(nil), newName)
	return n.do(func(c fsproto.Client) error { return c.Rename(n.child(name), to) })
}

// Readlink implements fs.NodeReadlinker.
func (n *node) Readlink(ctx context.Context) ([]byte, syscall.Errno) {
	var s string
	e := n.do(func(c fsproto.Client) (err error) { s, err = c.Readlink(n.path()); return })
	return []byte(s), e
}

// Statfs implements fs.NodeStatfser.
func (n *node) Statfs(ctx context.Context, out *fuse.StatfsOut) syscall.Errno {
	var fi fsproto.Fsinfo
	e := n.do(func(c fsproto.Client) (err error) { fi, err = c.Statfs(); return })
	if e == 0 {
		out.Bsize, out.Frsize = uint32(fi.BlockSize), uint32(fi.BlockSize)
		out.Blocks, out.Bfree, out.Bavail = uint64(fi.Blocks), uint64(fi.FreeBlocks), uint64(fi.FreeBlocks)
		out.Files, out.Ffree = uint64(fi.Inodes), uint64(fi.FreeInodes)
		out.NameLen = uint32(fi.NameMaxSize)
	}
	return e
}

// handle is an open file: a descriptor of the bridge task at the file
// server.
type handle struct {
	n  *node
	fd fsproto.FD
}

var (
	_ fs.FileReader   = (*handle)(nil)
	_ fs.FileWriter   = (*handle)(nil)
	_ fs.FileFsyncer  = (*handle)(nil)
	_ fs.FileReleaser = (*handle)(nil)
)

// Read implements fs.FileReader, in requests of at most ipc.MaxBulk.
func (h *handle) Read(ctx context.Context, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	got := 0
	e := h.n.do(func(c fsproto.Client) error {
		for got < len(dest) {
			k, err := c.Pread(h.fd, dest[got:min(len(dest), got+ipc.MaxBulk)], off+int64(got))
			got += k
			if err != nil || k == 0 {
				return err
			}
		}
		return nil
	})
	return fuse.ReadResultData(dest[:got]), e
}

// Write implements fs.FileWriter. The file server commits before it
// answers: the write is on the image when the host hears of it.
func (h *handle) Write(ctx context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	if e := h.n.writable(); e != 0 {
		return 0, e
	}
	var n int
	e := h.n.do(func(c fsproto.Client) (err error) { n, err = c.Pwrite(h.fd, data, off); return })
	return uint32(n), e
}

// Fsync implements fs.FileFsyncer.
func (h *handle) Fsync(ctx context.Context, flags uint32) syscall.Errno {
	return h.n.do(func(c fsproto.Client) error { return c.Fsync(h.fd) })
}

// Release implements fs.FileReleaser.
func (h *handle) Release(ctx context.Context) syscall.Errno {
	return h.n.do(func(c fsproto.Client) error { return c.Close(h.fd) })
}

// fillAttr converts the file server's attributes into FUSE's.
func fillAttr(out *fuse.Attr, a fsproto.Attr) {
	out.Ino = a.Ino + 1
	out.Mode = a.Mode
	out.Nlink = a.Nlink
	out.Size = uint64(a.Size)
	out.Blocks = uint64(a.Blocks)
	out.Blksize = uint32(a.BlkSize)
	out.Owner = fuse.Owner{Uid: a.UID, Gid: a.GID}
	out.Atime, out.Atimensec = uint64(a.Atime/1e9), uint32(a.Atime%1e9)
	out.Mtime, out.Mtimensec = uint64(a.Mtime/1e9), uint32(a.Mtime%1e9)
	out.Ctime, out.Ctimensec = uint64(a.Ctime/1e9), uint32(a.Ctime%1e9)
}
