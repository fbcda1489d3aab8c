package fs

import (
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

// The operations on names: mkdir, rmdir, unlink, rename, link, symlink,
// readlink. Each checks everything that can fail before it changes a
// block where it can, and runs as one operation (op) either way.

// newName resolves path as the name of a file about to be created: its
// directory exists and the name does not (EEXIST).
func (f *FS) newName(path string, wantDir bool) (*where, error) {
	w, err := f.locate(path, false)
	if err != nil {
		return nil, err
	}
	if w.kind != lastNormal || w.ip != nil {
		return nil, linux.EEXIST
	}
	if w.slash && !wantDir {
		return nil, linux.ENOENT
	}
	return w, nil
}

// Mkdir creates directory path with permission bits mode.
func (f *FS) Mkdir(path string, mode uint32) error {
	return f.op(func() error {
		w, err := f.newName(path, true)
		if err != nil {
			return err
		}
		if err := f.mayAdd(w.dir); err != nil {
			return err
		}
		if w.dir.Nlink >= layout.MaxNlink {
			return linux.EMLINK
		}
		ip, err := f.ialloc(linux.S_IFDIR | mode&0o7777)
		if err != nil {
			return err
		}
		ip.Nlink = 2
		if err := f.dirInit(ip, w.dir.ino); err != nil {
			return err
		}
		if err := f.dirLink(w.dir, w.name, ip.ino, linux.DT_DIR); err != nil {
			return err
		}
		w.dir.Nlink++
		return f.iput(w.dir)
	})
}

// Rmdir removes the empty directory path.
func (f *FS) Rmdir(path string) error {
	return f.op(func() error {
		w, err := f.locate(path, false)
		if err != nil {
			return err
		}
		switch {
		case w.kind == lastDot:
			return linux.EINVAL
		case w.kind == lastDotDot:
			return linux.ENOTEMPTY
		case w.kind == lastRoot:
			return linux.EBUSY
		case w.ip == nil:
			return linux.ENOENT
		case !w.ip.IsDir():
			return linux.ENOTDIR
		}
		if err := f.mayRemove(w.dir, w.ip); err != nil {
			return err
		}
		if empty, err := f.dirEmpty(w.ip); err != nil || !empty {
			return orErr(err, linux.ENOTEMPTY)
		}
		if err := f.dirWrite(w.dir, w.off, nil); err != nil {
			return err
		}
		w.dir.Nlink--
		if err := f.iput(w.dir); err != nil {
			return err
		}
		return f.dropLink(w.ip)
	})
}

// orErr returns err if it is set, else e.
func orErr(err error, e linux.Errno) error {
	if err != nil {
		return err
	}
	return e
}

// Unlink removes name path of a file that is not a directory.
func (f *FS) Unlink(path string) error {
	return f.op(func() error {
		w, err := f.locate(path, false)
		if err != nil {
			return err
		}
		switch {
		case w.kind != lastNormal:
			return linux.EISDIR
		case w.ip == nil:
			return linux.ENOENT
		case w.ip.IsDir():
			return linux.EISDIR
		case w.slash:
			return linux.ENOTDIR
		}
		if err := f.mayRemove(w.dir, w.ip); err != nil {
			return err
		}
		if err := f.dirWrite(w.dir, w.off, nil); err != nil {
			return err
		}
		return f.dropLink(w.ip)
	})
}

// Link makes newpath another name of the file oldpath (not followed if it
// is a symbolic link, as Linux's link).
func (f *FS) Link(oldpath, newpath string) error {
	return f.op(func() error {
		ip, err := f.resolve(oldpath, false)
		if err != nil {
			return err
		}
		w, err := f.newName(newpath, false)
		if err != nil {
			return err
		}
		if ip.IsDir() {
			return linux.EPERM
		}
		if err := f.mayAdd(w.dir); err != nil {
			return err
		}
		if ip.Nlink >= layout.MaxNlink {
			return linux.EMLINK
		}
		if err := f.dirLink(w.dir, w.name, ip.ino, fsproto.TypeOfMode(uint32(ip.Mode))); err != nil {
			return err
		}
		ip.Nlink++
		ip.Ctime = f.now()
		return f.iput(ip)
	})
}

// Symlink makes path a symbolic link to target.
func (f *FS) Symlink(target, path string) error {
	return f.op(func() error {
		if target == "" {
			return linux.ENOENT
		}
		if len(target) > layout.MaxSymlink {
			return linux.ENAMETOOLONG
		}
		w, err := f.newName(path, false)
		if err != nil {
			return err
		}
		if err := f.mayAdd(w.dir); err != nil {
			return err
		}
		ip, err := f.ialloc(linux.S_IFLNK | 0o777)
		if err != nil {
			return err
		}
		ip.Nlink = 1
		if n, err := f.writei(ip, []byte(target), 0); err != nil || n < len(target) {
			return orErr(err, linux.ENOSPC)
		}
		return f.dirLink(w.dir, w.name, ip.ino, linux.DT_LNK)
	})
}

// Readlink returns the target of symbolic link path.
func (f *FS) Readlink(path string) (string, error) {
	var target string
	err := f.op(func() error {
		ip, err := f.resolve(path, false)
		if err != nil {
			return err
		}
		if !ip.IsSymlink() {
			return linux.EINVAL
		}
		target, err = f.readTarget(ip)
		return err
	})
	return target, err
}
