package fs

import (
	"fmt"

	"github.com/mkos/mkos/servers/fs/layout"
)

// Layer 3: inodes. An inode lives in its block of the inode table; iget
// decodes it into an *inode, iput encodes it back into the block (in the
// running transaction). Within one operation iget returns the same *inode
// for the same number, so two names of one directory (a rename within it)
// never hold two copies that overwrite each other.

// inode is an in-memory copy of an inode in use, valid for one operation.
type inode struct {
	ino uint32
	layout.Dinode
}

// corruptf returns a corruption error (EUCLEAN).
func corruptf(format string, a ...any) error {
	return &layout.CorruptError{What: fmt.Sprintf(format, a...)}
}

// rawInode reads inode ino from the table, unchecked.
func (f *FS) rawInode(ino uint32) (layout.Dinode, error) {
	blk, off := f.sb.InodeBlock(ino)
	b, err := f.c.get(blk)
	if err != nil {
		return layout.Dinode{}, err
	}
	return layout.DecodeDinode(b.data[off:]), nil
}

// iget returns inode ino, which must be in use and well formed.
func (f *FS) iget(ino uint32) (*inode, error) {
	if ip := f.inodes[ino]; ip != nil {
		return ip, nil
	}
	if ino == 0 || ino >= f.sb.Inodes {
		return nil, corruptf("inode number %d outside 1..%d", ino, f.sb.Inodes-1)
	}
	d, err := f.rawInode(ino)
	if err != nil {
		return nil, err
	}
	if d.Mode == 0 {
		return nil, corruptf("inode %d is named but free", ino)
	}
	if err := d.Check(&f.sb, ino); err != nil {
		return nil, err
	}
	ip := &inode{ino: ino, Dinode: d}
	f.inodes[ino] = ip
	return ip, nil
}

// iput writes ip back to its block of the inode table.
func (f *FS) iput(ip *inode) error {
	blk, off := f.sb.InodeBlock(ip.ino)
	b, err := f.c.get(blk)
	if err != nil {
		return err
	}
	f.j.change(b)
	ip.Encode(b.data[off:])
	return nil
}

// touch sets ip's modification and change times to now.
func (f *FS) touch(ip *inode) {
	ip.Mtime = f.now()
	ip.Ctime = ip.Mtime
}

// dropLink removes one link of ip: the inode is freed when no name and no
// descriptor is left. An unlinked file still open is an orphan until its
// last close (or the next mount, after a crash).
func (f *FS) dropLink(ip *inode) error {
	if ip.Nlink > 0 {
		ip.Nlink--
	}
	if ip.IsDir() && ip.Nlink == 1 {
		ip.Nlink = 0 // its "." goes with its name
	}
	ip.Ctime = f.now()
	if ip.Nlink == 0 && f.opens[ip.ino] == 0 {
		return f.ifree(ip)
	}
	return f.iput(ip)
}
