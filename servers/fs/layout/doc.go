// Package layout is the on-disk format of the mkos file system: what every
// block of an image holds, and how each record is encoded and checked. It
// does no caching and knows nothing of IPC, so mkfs, fsck and the file
// server all read the disk through the same definitions, online or
// offline.
//
// # The disk, block by block
//
// Blocks are 4 KiB. An image of B blocks is laid out in this order:
//
//	block 0            superblock: the sizes and places of everything below
//	journal            1 header block + up to 1017 logged blocks (the WAL)
//	inode bitmap       1 bit per inode: 1 = in use (inodes 0 and 1 are taken)
//	block bitmap       1 bit per block of the whole disk: 1 = in use
//	inode table        128-byte inodes, 32 per block
//	data blocks        file contents, directories, indirect blocks
//
// Every region starts where the one before it ends, so the superblock's
// numbers can be checked against each other; Plan computes them from a size.
//
// An inode (Dinode) holds its type and permission bits (mode, as Linux,
// set-id and sticky bits included), its owner and group (uid, gid), its
// link count, size, generation, times, the count of blocks it owns, 12
// direct block addresses, one indirect block (1024 addresses) and one
// double-indirect block (1024 indirect blocks): files up to about 4 GiB.
// Address 0 is a hole that reads as zeros.
//
// A directory is a file of 64-byte entries (Dirent): inode number, name
// length, type, and a name of at most 58 bytes. Inode 0 marks a free entry.
// Every directory holds "." and ".." first. Inode 1 is the root.
//
// The journal header records a committed transaction: its sequence number,
// the home block of each logged block, a CRC of the logged contents and a
// CRC of the header itself. A header with no blocks means the journal is
// empty. Every multi-byte number is little-endian.
//
// Imports: the standard library, ipc/linux (errno values, file modes), and the block
// device interface (servers/fs/bdev).
package layout

import (
	"fmt"
	"hash/crc32"

	"github.com/mkos/mkos/ipc/linux"
)

// Sizes of the format.
const (
	BlockSize       = 4096
	InodeSize       = 128
	InodesPerBlock  = BlockSize / InodeSize
	NDirect         = 12
	AddrsPerBlock   = BlockSize / 4
	MaxFileBlocks   = NDirect + AddrsPerBlock + AddrsPerBlock*AddrsPerBlock
	MaxFileSize     = int64(MaxFileBlocks) * BlockSize
	DirentSize      = 64
	DirentsPerBlock = BlockSize / DirentSize
	NameMax         = DirentSize - 6
	MaxSymlink      = BlockSize - 1
	BitsPerBlock    = BlockSize * 8
	RootIno         = 1
	// MaxNlink is the most links a file may have (EMLINK beyond).
	MaxNlink = 65000
)

// castagnoli is the CRC-32C table every checksum of the format uses.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Checksum returns the CRC-32C of b.
func Checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// CorruptError says what is wrong with an image. It matches EUCLEAN
// ("structure needs cleaning") with errors.Is, the errno Linux file
// systems return for a corrupt disk.
type CorruptError struct{ What string }

func (e *CorruptError) Error() string { return "corrupt file system: " + e.What }

// Unwrap makes errors.Is(err, linux.EUCLEAN) true.
func (e *CorruptError) Unwrap() error { return linux.EUCLEAN }

// corrupt returns a CorruptError with a formatted message.
func corrupt(format string, a ...any) error {
	return &CorruptError{What: fmt.Sprintf(format, a...)}
}

// ChecksumUpdate returns the CRC-32C of the bytes checksummed into crc
// followed by b.
func ChecksumUpdate(crc uint32, b []byte) uint32 { return crc32.Update(crc, castagnoli, b) }
