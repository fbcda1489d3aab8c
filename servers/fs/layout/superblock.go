package layout

import (
	"encoding/binary"
	"fmt"
)

// Magic opens the superblock of every mkos file system.
const Magic = "mkos-fs\x00"

// Version is the format version this package reads and writes.
const Version = 1

// Limits on the size of a file system.
const (
	MinBlocks = 256     // 1 MiB
	MaxBlocks = 1 << 22 // 16 GiB: the journal must hold a truncate's bitmap blocks
)

// Superblock is block 0: where everything else is.
type Superblock struct {
	Blocks            uint32 // blocks in the file system
	Inodes            uint32 // inodes, a multiple of InodesPerBlock
	JournalStart      uint32
	JournalBlocks     uint32 // the header and the log blocks
	InodeBitmapStart  uint32
	InodeBitmapBlocks uint32
	BlockBitmapStart  uint32
	BlockBitmapBlocks uint32
	InodeTableStart   uint32
	InodeTableBlocks  uint32
	DataStart         uint32 // the first data block
	Mounts            uint32 // times mounted: the file server's epoch
}

// The byte offsets of the encoded superblock.
const (
	sbFields = 8 + 4 + 4       // magic, version, block size
	sbCRC    = sbFields + 4*12 // the CRC follows the 12 fields
)

// fields lists the superblock's numbers in their on-disk order.
func (sb *Superblock) fields() []*uint32 {
	return []*uint32{&sb.Blocks, &sb.Inodes, &sb.JournalStart, &sb.JournalBlocks,
		&sb.InodeBitmapStart, &sb.InodeBitmapBlocks, &sb.BlockBitmapStart, &sb.BlockBitmapBlocks,
		&sb.InodeTableStart, &sb.InodeTableBlocks, &sb.DataStart, &sb.Mounts}
}

// Encode writes the superblock into block b (BlockSize bytes).
func (sb *Superblock) Encode(b []byte) {
	clear(b[:BlockSize])
	copy(b, Magic)
	le := binary.LittleEndian
	le.PutUint32(b[8:], Version)
	le.PutUint32(b[12:], BlockSize)
	for i, f := range sb.fields() {
		le.PutUint32(b[sbFields+4*i:], *f)
	}
	le.PutUint32(b[sbCRC:], Checksum(b[:sbCRC]))
}

// DecodeSuperblock reads and checks block 0. The error says what is wrong.
func DecodeSuperblock(b []byte) (Superblock, error) {
	var sb Superblock
	if len(b) < BlockSize {
		return sb, corrupt("superblock: short block")
	}
	if string(b[:8]) != Magic {
		return sb, corrupt("superblock: bad magic number (not an mkos file system)")
	}
	le := binary.LittleEndian
	if v := le.Uint32(b[8:]); v != Version {
		return sb, corrupt("superblock: format version %d, want %d", v, Version)
	}
	if bs := le.Uint32(b[12:]); bs != BlockSize {
		return sb, corrupt("superblock: block size %d, want %d", bs, BlockSize)
	}
	if got, want := le.Uint32(b[sbCRC:]), Checksum(b[:sbCRC]); got != want {
		return sb, corrupt("superblock: checksum %#x, want %#x", got, want)
	}
	for i, f := range sb.fields() {
		*f = le.Uint32(b[sbFields+4*i:])
	}
	return sb, sb.Check()
}

// Check verifies that the regions follow each other with the sizes their
// counts imply, as Plan lays them out.
func (sb *Superblock) Check() error {
	if sb.Blocks < MinBlocks || sb.Blocks > MaxBlocks {
		return corrupt("superblock: %d blocks, outside %d..%d", sb.Blocks, MinBlocks, MaxBlocks)
	}
	if sb.Inodes < InodesPerBlock || sb.Inodes%InodesPerBlock != 0 || sb.Inodes > sb.Blocks {
		return corrupt("superblock: %d inodes is not a multiple of %d up to the block count", sb.Inodes, InodesPerBlock)
	}
	if sb.JournalBlocks < MinJournalBlocks(sb.Blocks) || sb.JournalBlocks > MaxJournalBlocks {
		return corrupt("superblock: journal of %d blocks, outside %d..%d", sb.JournalBlocks, MinJournalBlocks(sb.Blocks), MaxJournalBlocks)
	}
	want := sb.Blocks
	p := planRegions(sb.Blocks, sb.Inodes, sb.JournalBlocks)
	p.Mounts = sb.Mounts
	if p != *sb {
		return corrupt("superblock: regions %s, want %s", sb.regions(), p.regions())
	}
	if sb.DataStart+8 > want {
		return corrupt("superblock: no room for data blocks")
	}
	return nil
}

// regions renders the region starts for error messages.
func (sb *Superblock) regions() string {
	return fmt.Sprintf("journal %d+%d, inode bitmap %d+%d, block bitmap %d+%d, inode table %d+%d, data %d",
		sb.JournalStart, sb.JournalBlocks, sb.InodeBitmapStart, sb.InodeBitmapBlocks,
		sb.BlockBitmapStart, sb.BlockBitmapBlocks, sb.InodeTableStart, sb.InodeTableBlocks, sb.DataStart)
}

// InodeBlock returns the block of the inode table that holds inode ino,
// and the inode's byte offset in it.
func (sb *Superblock) InodeBlock(ino uint32) (uint32, int) {
	return sb.InodeTableStart + ino/InodesPerBlock, int(ino%InodesPerBlock) * InodeSize
}

// IsData reports whether block b is in the data region.
func (sb *Superblock) IsData(b uint32) bool { return b >= sb.DataStart && b < sb.Blocks }

// JournalCapacity returns how many blocks one transaction may log.
func (sb *Superblock) JournalCapacity() int { return int(sb.JournalBlocks) - 1 }

// MaxOpBlocks bounds the distinct blocks one operation may change: a 64
// KiB write (16 data blocks, 3 indirect blocks, the inode, bitmap blocks)
// or the worst truncate (every block-bitmap block). A transaction is
// committed before an operation that might not fit.
func (sb *Superblock) MaxOpBlocks() int { return maxOpBlocks(sb.BlockBitmapBlocks) }

func maxOpBlocks(bitmapBlocks uint32) int { return 48 + int(bitmapBlocks) }
