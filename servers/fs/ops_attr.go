package fs

import (
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

// The operations on attributes and contents by name: stat, lstat, chmod,
// truncate, readdir.

// attr describes ip as stat(2) does.
func attr(ip *inode) fsproto.Attr {
	return fsproto.Attr{Ino: uint64(ip.ino), Mode: uint32(ip.Mode), Nlink: uint32(ip.Nlink), Size: int64(ip.Size),
		Blocks: int64(ip.Blocks) * (layout.BlockSize / 512), BlkSize: layout.BlockSize,
		Atime: ip.Atime, Mtime: ip.Mtime, Ctime: ip.Ctime, UID: ip.UID, GID: ip.GID}
}

// Stat describes the file path names, following symbolic links.
func (f *FS) Stat(path string) (fsproto.Attr, error) { return f.stat(path, true) }

// Lstat describes the file path names; a final symbolic link is described
// itself.
func (f *FS) Lstat(path string) (fsproto.Attr, error) { return f.stat(path, false) }

func (f *FS) stat(path string, follow bool) (fsproto.Attr, error) {
	var a fsproto.Attr
	err := f.op(func() error {
		ip, err := f.resolve(path, follow)
		if err == nil {
			a = attr(ip)
		}
		return err
	})
	return a, err
}

// Chmod sets the permission bits of the file path names: its owner or
// root may (EPERM for anyone else).
func (f *FS) Chmod(path string, mode uint32) error {
	return f.op(func() error {
		ip, err := f.resolve(path, true)
		if err != nil {
			return err
		}
		if err := f.owns(ip); err != nil {
			return err
		}
		ip.Mode = uint16(ip.Type() | mode&0o7777)
		ip.Ctime = f.now()
		return f.iput(ip)
	})
}

// Truncate sets the size of the regular file path names.
func (f *FS) Truncate(path string, size int64) error {
	if size < 0 {
		return linux.EINVAL
	}
	return f.op(func() error {
		ip, err := f.resolve(path, true)
		if err != nil {
			return err
		}
		if !ip.IsDir() {
			if err := f.may(ip, permW); err != nil {
				return err
			}
		}
		return f.truncate(ip, size)
	})
}

// truncate sets ip's size; ip must be a regular file.
func (f *FS) truncate(ip *inode, size int64) error {
	switch {
	case ip.IsDir():
		return linux.EISDIR
	case size > layout.MaxFileSize:
		return linux.EFBIG
	}
	if err := f.itrunc(ip, uint64(size)); err != nil {
		return err
	}
	f.touch(ip)
	return f.iput(ip)
}

// ReadDir calls fn with the entries of directory path from the cookie'th
// entry slot on ("." and ".." included), until fn returns false or the
// directory ends. It returns the cookie to go on from, and whether the
// directory ended.
func (f *FS) ReadDir(path string, cookie uint64, fn func(fsproto.DirEntry) bool) (uint64, bool, error) {
	next, end := cookie, false
	err := f.op(func() error {
		dp, err := f.resolve(path, true)
		if err != nil {
			return err
		}
		if !dp.IsDir() {
			return linux.ENOTDIR
		}
		if err := f.may(dp, permR); err != nil {
			return err
		}
		if cookie > dp.Size/layout.DirentSize {
			end = true
			return nil
		}
		off, err := f.dirScan(dp, int64(cookie), func(off int64, raw []byte) bool {
			if entryIno(raw) == 0 {
				return false
			}
			e := layout.DecodeDirent(raw)
			return !fn(fsproto.DirEntry{Name: e.Name, Ino: uint64(e.Ino), Type: e.Type})
		})
		if off < 0 {
			next, end = dp.Size/layout.DirentSize, true
		} else {
			next = uint64(off / layout.DirentSize)
		}
		return err
	})
	return next, end, err
}
