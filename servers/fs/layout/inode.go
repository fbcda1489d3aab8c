package layout

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc/linux"
)

// Dinode is an inode as stored in the inode table. Mode 0 is a free inode.
type Dinode struct {
	Mode   uint16 // linux.S_IFREG, S_IFDIR or S_IFLNK | permission bits
	Nlink  uint16 // directory entries naming it ("." and ".." included)
	Gen    uint32 // bumped each time the inode is reused
	Size   uint64
	Blocks uint32 // data and indirect blocks it owns
	Atime  int64  // virtual ns
	Mtime  int64
	Ctime  int64
	Addrs  [NDirect]uint32
	Ind    uint32 // indirect block: AddrsPerBlock more addresses
	DInd   uint32 // double-indirect block: AddrsPerBlock indirect blocks
	UID    uint32 // the owner; 0 (root) on disks made before owners were kept
	GID    uint32 // the group
}

// Encode writes the inode into b (InodeSize bytes).
func (d *Dinode) Encode(b []byte) {
	le := binary.LittleEndian
	clear(b[:InodeSize])
	le.PutUint16(b[0:], d.Mode)
	le.PutUint16(b[2:], d.Nlink)
	le.PutUint32(b[4:], d.Gen)
	le.PutUint64(b[8:], d.Size)
	le.PutUint32(b[16:], d.Blocks)
	le.PutUint64(b[24:], uint64(d.Atime))
	le.PutUint64(b[32:], uint64(d.Mtime))
	le.PutUint64(b[40:], uint64(d.Ctime))
	for i, a := range d.Addrs {
		le.PutUint32(b[48+4*i:], a)
	}
	le.PutUint32(b[96:], d.Ind)
	le.PutUint32(b[100:], d.DInd)
	le.PutUint32(b[104:], d.UID)
	le.PutUint32(b[108:], d.GID)
}

// DecodeDinode reads an inode from b (InodeSize bytes). It does not check
// it: see Check.
func DecodeDinode(b []byte) Dinode {
	le := binary.LittleEndian
	d := Dinode{Mode: le.Uint16(b[0:]), Nlink: le.Uint16(b[2:]), Gen: le.Uint32(b[4:]), Size: le.Uint64(b[8:]),
		Blocks: le.Uint32(b[16:]), Atime: int64(le.Uint64(b[24:])), Mtime: int64(le.Uint64(b[32:])),
		Ctime: int64(le.Uint64(b[40:])), Ind: le.Uint32(b[96:]), DInd: le.Uint32(b[100:]),
		UID: le.Uint32(b[104:]), GID: le.Uint32(b[108:])}
	for i := range d.Addrs {
		d.Addrs[i] = le.Uint32(b[48+4*i:])
	}
	return d
}

// Type returns the file type bits of the mode.
func (d *Dinode) Type() uint32 { return uint32(d.Mode) & linux.S_IFMT }

// IsDir reports whether the inode is a directory.
func (d *Dinode) IsDir() bool { return d.Type() == linux.S_IFDIR }

// IsSymlink reports whether the inode is a symbolic link.
func (d *Dinode) IsSymlink() bool { return d.Type() == linux.S_IFLNK }

// Check verifies what can be checked of an inode in use on its own: a
// known type, a size its type allows, and direct and indirect addresses
// that are holes or data blocks of sb.
func (d *Dinode) Check(sb *Superblock, ino uint32) error {
	switch d.Type() {
	case linux.S_IFREG, linux.S_IFDIR, linux.S_IFLNK:
	default:
		return corrupt("inode %d: unknown file type %#o", ino, d.Mode)
	}
	if d.Size > uint64(MaxFileSize) {
		return corrupt("inode %d: size %d above the largest file", ino, d.Size)
	}
	if d.Blocks > sb.Blocks {
		return corrupt("inode %d: owns %d blocks, more than the disk has", ino, d.Blocks)
	}
	if d.IsDir() && (d.Size%BlockSize != 0 || d.Size == 0 || d.Size/BlockSize > uint64(d.Blocks)) {
		return corrupt("inode %d: directory size %d is not whole blocks it owns", ino, d.Size)
	}
	if d.IsSymlink() && (d.Size == 0 || d.Size > MaxSymlink) {
		return corrupt("inode %d: symbolic link of %d bytes", ino, d.Size)
	}
	if d.Nlink == 0 && ino == RootIno {
		return corrupt("inode %d: the root has no links", ino)
	}
	for _, a := range append(d.Addrs[:], d.Ind, d.DInd) {
		if a != 0 && !sb.IsData(a) {
			return corrupt("inode %d: block address %d outside the data region", ino, a)
		}
	}
	return nil
}
