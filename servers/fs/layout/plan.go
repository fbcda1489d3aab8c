package layout

import "fmt"

// MaxJournalBlocks is the largest journal: its header block and the most
// blocks one header can list.
const MaxJournalBlocks = 1 + MaxTxnBlocks

// MinJournalBlocks returns the smallest journal for a file system of
// blocks blocks: room for two of the largest operations, so that an
// operation always fits in a fresh transaction.
func MinJournalBlocks(blocks uint32) uint32 {
	return uint32(1 + 2*maxOpBlocks(ceilDiv(blocks, BitsPerBlock)))
}

// Plan returns the superblock of a new file system of sizeBytes bytes
// (rounded down to whole blocks) with the given number of inodes (0: one
// per 16 KiB, at least 64) and journal blocks (0: 1/32 of the disk within
// the allowed range).
func Plan(sizeBytes int64, inodes, journalBlocks int) (Superblock, error) {
	blocks := sizeBytes / BlockSize
	if blocks < MinBlocks || blocks > MaxBlocks {
		return Superblock{}, fmt.Errorf("size %d bytes: an mkos file system has %d KiB to %d GiB",
			sizeBytes, MinBlocks*BlockSize>>10, int64(MaxBlocks)*BlockSize>>30)
	}
	b := uint32(blocks)
	if inodes < 0 || int64(inodes) > blocks {
		return Superblock{}, fmt.Errorf("%d inodes: a file system of %d blocks has 1 to %d (one per block)", inodes, blocks, blocks)
	}
	if inodes == 0 {
		inodes = max(int(b/4), 64)
	}
	ni := ceilDiv(uint32(min(inodes, int(b))), InodesPerBlock) * InodesPerBlock
	nj := uint32(journalBlocks)
	if journalBlocks == 0 {
		nj = min(max(b/32, MinJournalBlocks(b)), MaxJournalBlocks)
	}
	if nj < MinJournalBlocks(b) || nj > MaxJournalBlocks {
		return Superblock{}, fmt.Errorf("journal of %d blocks: want %d..%d", nj, MinJournalBlocks(b), MaxJournalBlocks)
	}
	sb := planRegions(b, ni, nj)
	if err := sb.Check(); err != nil {
		return Superblock{}, fmt.Errorf("size %d bytes with %d inodes: %w", sizeBytes, ni, err)
	}
	return sb, nil
}

// planRegions lays the regions out one after the other.
func planRegions(blocks, inodes, journal uint32) Superblock {
	sb := Superblock{Blocks: blocks, Inodes: inodes, JournalStart: 1, JournalBlocks: journal}
	sb.InodeBitmapStart = sb.JournalStart + sb.JournalBlocks
	sb.InodeBitmapBlocks = ceilDiv(inodes, BitsPerBlock)
	sb.BlockBitmapStart = sb.InodeBitmapStart + sb.InodeBitmapBlocks
	sb.BlockBitmapBlocks = ceilDiv(blocks, BitsPerBlock)
	sb.InodeTableStart = sb.BlockBitmapStart + sb.BlockBitmapBlocks
	sb.InodeTableBlocks = inodes / InodesPerBlock
	sb.DataStart = sb.InodeTableStart + sb.InodeTableBlocks
	return sb
}

func ceilDiv(a, b uint32) uint32 { return (a + b - 1) / b }
