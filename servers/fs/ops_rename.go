package fs

import (
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Rename renames oldpath to newpath, replacing what newpath named, as one
// operation: after a crash either the old or the new name exists, never
// both or neither. It moves directories across parents, fixing their "..".
// The checks follow Linux's order: ENOENT, EBUSY for ".", ".." and "/",
// EINVAL when a directory would move into itself, ENOTEMPTY when newpath
// is an ancestor of oldpath, then ENOTDIR, EISDIR and ENOTEMPTY.
func (f *FS) Rename(oldpath, newpath string) error {
	return f.op(func() error {
		ow, err := f.locate(oldpath, false)
		if err != nil {
			return err
		}
		if ow.kind == lastNormal && ow.ip == nil {
			return linux.ENOENT
		}
		nw, err := f.locate(newpath, false)
		if err != nil {
			return err
		}
		if ow.kind != lastNormal || nw.kind != lastNormal {
			return linux.EBUSY
		}
		if err := f.renameCheck(ow, nw); err != nil {
			return err
		}
		if nw.ip != nil && nw.ip.ino == ow.ip.ino {
			return nil // two names of one file: nothing to do
		}
		return f.renameDo(ow, nw)
	})
}

// renameCheck refuses the renames POSIX forbids.
func (f *FS) renameCheck(ow, nw *where) error {
	oip := ow.ip
	if err := f.renameMay(ow, nw); err != nil {
		return err
	}
	if oip.IsDir() {
		if in, err := f.isAncestor(oip, nw.dir); err != nil || in {
			return orErr(err, linux.EINVAL)
		}
	}
	if nw.ip != nil && nw.ip.IsDir() {
		if in, err := f.isAncestor(nw.ip, ow.dir); err != nil || in {
			return orErr(err, linux.ENOTEMPTY)
		}
	}
	if (ow.slash || nw.slash) && !oip.IsDir() {
		return linux.ENOTDIR
	}
	if nw.ip == nil || nw.ip.ino == oip.ino {
		if oip.IsDir() && nw.dir.ino != ow.dir.ino && nw.dir.Nlink >= layout.MaxNlink {
			return linux.EMLINK
		}
		return nil
	}
	switch {
	case oip.IsDir() && !nw.ip.IsDir():
		return linux.ENOTDIR
	case !oip.IsDir() && nw.ip.IsDir():
		return linux.EISDIR
	case nw.ip.IsDir():
		if empty, err := f.dirEmpty(nw.ip); err != nil || !empty {
			return orErr(err, linux.ENOTEMPTY)
		}
	}
	return nil
}

// renameMay checks the caller's permissions: to remove the old name, to
// add (or replace) the new one, and to rewrite a moved directory's "..".
func (f *FS) renameMay(ow, nw *where) error {
	if err := f.mayRemove(ow.dir, ow.ip); err != nil {
		return err
	}
	add := f.mayAdd(nw.dir)
	if nw.ip != nil {
		add = f.mayRemove(nw.dir, nw.ip)
	}
	if add != nil {
		return add
	}
	if ow.ip.IsDir() && ow.dir.ino != nw.dir.ino {
		return f.may(ow.ip, permW)
	}
	return nil
}

// renameDo changes the entries and link counts.
func (f *FS) renameDo(ow, nw *where) error {
	oip := ow.ip
	typ := fsproto.TypeOfMode(uint32(oip.Mode))
	if victim := nw.ip; victim != nil {
		if err := f.dirRepoint(nw.dir, nw.off, oip.ino, typ); err != nil {
			return err
		}
		if victim.IsDir() {
			nw.dir.Nlink-- // the victim's ".." is gone
		}
		if err := f.dropLink(victim); err != nil {
			return err
		}
	} else if err := f.dirLink(nw.dir, nw.name, oip.ino, typ); err != nil {
		return err
	}
	if err := f.dirWrite(ow.dir, ow.off, nil); err != nil {
		return err
	}
	if oip.IsDir() && ow.dir.ino != nw.dir.ino {
		_, off, err := f.dirLookup(oip, "..")
		if err != nil {
			return err
		}
		if off < 0 {
			return corruptf("directory %d has no \"..\"", oip.ino)
		}
		if err := f.dirRepoint(oip, off, nw.dir.ino, linux.DT_DIR); err != nil {
			return err
		}
		ow.dir.Nlink--
		nw.dir.Nlink++
	}
	oip.Ctime = f.now()
	for _, ip := range []*inode{oip, ow.dir, nw.dir} {
		if err := f.iput(ip); err != nil {
			return err
		}
	}
	return nil
}
