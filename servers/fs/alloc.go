package fs

import (
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Allocation of blocks and inodes from the bitmaps. Both scans start where
// the last allocation ended (a hint kept in memory), so a file written
// sequentially gets contiguous blocks, and wrap around once.

// findFree returns the first clear bit in [lo, hi) of the bitmap that
// starts at block start, searching from `from` and wrapping to lo.
func (f *FS) findFree(start, lo, hi, from uint32) (uint32, error) {
	if from < lo || from >= hi {
		from = lo
	}
	for pass := 0; pass < 2; pass++ {
		a, z := from, hi
		if pass == 1 {
			a, z = lo, from
		}
		for i := a; i < z; {
			blk, _ := layout.BitmapBlock(i)
			b, err := f.c.get(start + blk)
			if err != nil {
				return 0, err
			}
			end := min(z, (blk+1)*layout.BitsPerBlock)
			for ; i < end; i++ {
				k := int(i % layout.BitsPerBlock)
				if k%8 == 0 && i+8 <= end && b.data[k/8] == 0xff {
					i += 7
					continue
				}
				if !layout.BitGet(b.data, k) {
					return i, nil
				}
			}
		}
	}
	return 0, linux.ENOSPC
}

// setBit sets (or clears) bit i of the bitmap at start, and reports
// whether it was set before.
func (f *FS) setBit(start, i uint32, on bool) (bool, error) {
	blk, k := layout.BitmapBlock(i)
	b, err := f.c.get(start + blk)
	if err != nil {
		return false, err
	}
	was := layout.BitGet(b.data, k)
	f.j.change(b)
	if on {
		layout.BitSet(b.data, k)
	} else {
		layout.BitClear(b.data, k)
	}
	return was, nil
}

// balloc allocates a data block and returns it zeroed (in the running
// transaction).
func (f *FS) balloc() (*buf, error) {
	no, err := f.findFree(f.sb.BlockBitmapStart, f.sb.DataStart, f.sb.Blocks, f.blockHint)
	if err != nil {
		return nil, err
	}
	if _, err := f.setBit(f.sb.BlockBitmapStart, no, true); err != nil {
		return nil, err
	}
	f.blockHint = no + 1
	f.freeBlocks--
	b := f.c.getNoRead(no)
	f.j.change(b)
	clear(b.data)
	return b, nil
}

// bfree frees data block no.
func (f *FS) bfree(no uint32) error {
	if !f.sb.IsData(no) {
		return corruptf("freeing block %d outside the data region", no)
	}
	was, err := f.setBit(f.sb.BlockBitmapStart, no, false)
	if err != nil {
		return err
	}
	if !was {
		return corruptf("block %d freed but it was free already", no)
	}
	f.freeBlocks++
	return nil
}

// ialloc allocates an inode of the given mode, with one generation more
// than the inode had when it was last used.
func (f *FS) ialloc(mode uint32) (*inode, error) {
	ino, err := f.findFree(f.sb.InodeBitmapStart, layout.RootIno+1, f.sb.Inodes, f.inodeHint)
	if err != nil {
		return nil, err
	}
	if _, err := f.setBit(f.sb.InodeBitmapStart, ino, true); err != nil {
		return nil, err
	}
	f.inodeHint = ino + 1
	f.freeInodes--
	old, err := f.rawInode(ino)
	if err != nil {
		return nil, err
	}
	now, c := f.now(), f.caller()
	ip := &inode{ino: ino, Dinode: layout.Dinode{Mode: uint16(mode), Gen: old.Gen + 1, Atime: now, Mtime: now, Ctime: now,
		UID: c.UID, GID: c.GID}}
	f.inodes[ino] = ip
	return ip, f.iput(ip)
}

// ifree frees inode ip and every block it owns.
func (f *FS) ifree(ip *inode) error {
	if err := f.itrunc(ip, 0); err != nil {
		return err
	}
	if _, err := f.setBit(f.sb.InodeBitmapStart, ip.ino, false); err != nil {
		return err
	}
	f.freeInodes++
	ip.Dinode = layout.Dinode{Gen: ip.Gen}
	return f.iput(ip)
}
