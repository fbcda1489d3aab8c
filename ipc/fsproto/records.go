package fsproto

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc/linux"
)

// Attr describes a file: the record stat(2) fills. Times are virtual nanoseconds
// since boot.
type Attr struct {
	Ino     uint64
	Mode    uint32 // file type (linux.S_IFREG, S_IFDIR, S_IFLNK) | permission bits
	Nlink   uint32
	Size    int64
	Blocks  int64 // 512-byte units allocated, as st_blocks
	BlkSize int32
	Atime   int64
	Mtime   int64
	Ctime   int64
	UID     uint32 // the owner
	GID     uint32 // the group
}

// AttrSize is the size of an encoded Attr record.
const AttrSize = 72

// IsDir reports whether the file is a directory.
func (s *Attr) IsDir() bool { return s.Mode&linux.S_IFMT == linux.S_IFDIR }

// IsRegular reports whether the file is a regular file.
func (s *Attr) IsRegular() bool { return s.Mode&linux.S_IFMT == linux.S_IFREG }

// IsSymlink reports whether the file is a symbolic link.
func (s *Attr) IsSymlink() bool { return s.Mode&linux.S_IFMT == linux.S_IFLNK }

// Encode writes the record into b, which holds at least AttrSize bytes.
func (s *Attr) Encode(b []byte) {
	le := binary.LittleEndian
	le.PutUint64(b[0:], s.Ino)
	le.PutUint32(b[8:], s.Mode)
	le.PutUint32(b[12:], s.Nlink)
	le.PutUint64(b[16:], uint64(s.Size))
	le.PutUint64(b[24:], uint64(s.Blocks))
	le.PutUint32(b[32:], uint32(s.BlkSize))
	le.PutUint32(b[36:], 0)
	le.PutUint64(b[40:], uint64(s.Atime))
	le.PutUint64(b[48:], uint64(s.Mtime))
	le.PutUint64(b[56:], uint64(s.Ctime))
	le.PutUint32(b[64:], s.UID)
	le.PutUint32(b[68:], s.GID)
}

// DecodeAttr reads a record written by Encode.
func DecodeAttr(b []byte) Attr {
	le := binary.LittleEndian
	return Attr{
		Ino: le.Uint64(b[0:]), Mode: le.Uint32(b[8:]), Nlink: le.Uint32(b[12:]),
		Size: int64(le.Uint64(b[16:])), Blocks: int64(le.Uint64(b[24:])), BlkSize: int32(le.Uint32(b[32:])),
		Atime: int64(le.Uint64(b[40:])), Mtime: int64(le.Uint64(b[48:])), Ctime: int64(le.Uint64(b[56:])),
		UID: le.Uint32(b[64:]), GID: le.Uint32(b[68:]),
	}
}

// DirEntry is one entry of a directory.
type DirEntry struct {
	Name string
	Ino  uint64
	Type uint8 // linux.DT_REG, DT_DIR, DT_LNK
}

// direntHeader is the fixed part of an encoded DirEntry: inode (8), type
// (1), name length (1).
const direntHeader = 10

// EncodedSize returns the bytes the entry takes in a ReadDir window.
func (d *DirEntry) EncodedSize() int { return direntHeader + len(d.Name) }

// Encode writes the entry into b and returns the bytes used; b must hold
// EncodedSize bytes.
func (d *DirEntry) Encode(b []byte) int {
	binary.LittleEndian.PutUint64(b, d.Ino)
	b[8] = d.Type
	b[9] = byte(len(d.Name))
	return direntHeader + copy(b[direntHeader:], d.Name)
}

// DecodeDirEntries reads the entries Encode wrote back to back into b.
// It stops at the first truncated record.
func DecodeDirEntries(b []byte) []DirEntry {
	var out []DirEntry
	for len(b) >= direntHeader {
		n := direntHeader + int(b[9])
		if n > len(b) {
			break
		}
		out = append(out, DirEntry{Ino: binary.LittleEndian.Uint64(b), Type: b[8], Name: string(b[direntHeader:n])})
		b = b[n:]
	}
	return out
}

// TypeOfMode returns the directory-entry type (DT_*) of a file mode.
func TypeOfMode(mode uint32) uint8 {
	switch mode & linux.S_IFMT {
	case linux.S_IFDIR:
		return linux.DT_DIR
	case linux.S_IFLNK:
		return linux.DT_LNK
	case linux.S_IFREG:
		return linux.DT_REG
	}
	return linux.DT_UNKNOWN
}
