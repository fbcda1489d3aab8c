package layout

import (
	"fmt"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/bdev"
)

// RootMode is the mode of a new file system's root directory.
const RootMode = linux.S_IFDIR | 0o755

// Format writes an empty file system laid out as sb onto dev: an empty
// journal, bitmaps with the metadata blocks and the root taken, a zeroed
// inode table, and the root directory holding "." and "..". The
// superblock is written last, after a flush, so an interrupted format
// leaves no file system that looks valid. nowNs stamps the root's times.
func Format(dev bdev.BlockDev, sb Superblock, nowNs int64) error {
	if dev.BlockSize() != BlockSize {
		return fmt.Errorf("mkfs: the device has %d-byte blocks, want %d", dev.BlockSize(), BlockSize)
	}
	if dev.Blocks() < int64(sb.Blocks) {
		return fmt.Errorf("mkfs: the device has %d blocks, the file system needs %d", dev.Blocks(), sb.Blocks)
	}
	if err := sb.Check(); err != nil {
		return err
	}
	w := formatter{dev: dev, sb: &sb}
	w.zero(sb.JournalStart, sb.DataStart+1-sb.JournalStart)
	w.emptyJournal()
	w.bitmaps()
	w.root(nowNs)
	if w.err == nil {
		w.err = dev.Flush()
	}
	w.block(0, sb.Encode)
	if w.err == nil {
		w.err = dev.Flush()
	}
	return w.err
}

// formatter writes blocks and keeps the first error.
type formatter struct {
	dev bdev.BlockDev
	sb  *Superblock
	err error
}

// block writes block no as filled by fill.
func (w *formatter) block(no uint32, fill func([]byte)) {
	if w.err != nil {
		return
	}
	b := make([]byte, BlockSize)
	fill(b)
	w.err = w.dev.WriteBlocks(int64(no), b)
}

// zero writes n zeroed blocks from start, 16 at a time.
func (w *formatter) zero(start, n uint32) {
	z := make([]byte, 16*BlockSize)
	for n > 0 && w.err == nil {
		k := min(n, 16)
		w.err = w.dev.WriteBlocks(int64(start), z[:k*BlockSize])
		start, n = start+k, n-k
	}
}

func (w *formatter) emptyJournal() {
	w.block(w.sb.JournalStart, func(b []byte) { (&JournalHeader{}).Encode(b) })
}

// bitmaps marks inodes 0 and 1, and the metadata blocks and the root's
// directory block, in use.
func (w *formatter) bitmaps() {
	sb := w.sb
	w.block(sb.InodeBitmapStart, func(b []byte) { BitSet(b, 0); BitSet(b, RootIno) })
	used := sb.DataStart + 1
	for i := uint32(0); i < sb.BlockBitmapBlocks; i++ {
		w.block(sb.BlockBitmapStart+i, func(b []byte) {
			for bit := uint32(0); bit < BitsPerBlock; bit++ {
				if i*BitsPerBlock+bit < used {
					BitSet(b, int(bit))
				}
			}
		})
	}
}

// root writes the root inode and its directory block.
func (w *formatter) root(nowNs int64) {
	sb := w.sb
	d := Dinode{Mode: RootMode, Nlink: 2, Gen: 1, Size: BlockSize, Blocks: 1,
		Atime: nowNs, Mtime: nowNs, Ctime: nowNs}
	d.Addrs[0] = sb.DataStart
	blk, off := sb.InodeBlock(RootIno)
	w.block(blk, func(b []byte) { d.Encode(b[off:]) })
	w.block(sb.DataStart, func(b []byte) {
		(&Dirent{Ino: RootIno, Type: linux.DT_DIR, Name: "."}).Encode(b)
		(&Dirent{Ino: RootIno, Type: linux.DT_DIR, Name: ".."}).Encode(b[DirentSize:])
	})
}

// ReadSuperblock reads and checks block 0 of dev.
func ReadSuperblock(dev bdev.BlockDev) (Superblock, error) {
	if dev.BlockSize() != BlockSize {
		return Superblock{}, fmt.Errorf("the device has %d-byte blocks, an mkos file system %d", dev.BlockSize(), BlockSize)
	}
	b := make([]byte, BlockSize)
	if err := dev.ReadBlocks(0, b); err != nil {
		return Superblock{}, err
	}
	sb, err := DecodeSuperblock(b)
	if err == nil && int64(sb.Blocks) > dev.Blocks() {
		err = corrupt("superblock: %d blocks on a device of %d", sb.Blocks, dev.Blocks())
	}
	return sb, err
}
