package fs

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Layer 3, continued: where a file's blocks are. File block lbn is found
// in one of three places, as in Unix V7 and ext2:
//
//	lbn < 12                ip.Addrs[lbn]                        direct
//	lbn < 12+1024           entry lbn-12 of block ip.Ind          indirect
//	lbn < 12+1024+1024²     entry of an indirect block listed in  double
//	                        block ip.DInd                         indirect
//
// An address of 0 is a hole: it reads as zeros and has no block.

// bmap returns the disk block holding file block lbn of ip. With alloc, a
// hole gets a new zeroed block (and the indirect blocks on the way to it);
// without, a hole is 0. The caller writes ip back (iput).
func (f *FS) bmap(ip *inode, lbn uint32, alloc bool) (uint32, error) {
	if lbn < layout.NDirect {
		return f.slot(ip, &ip.Addrs[lbn], alloc)
	}
	lbn -= layout.NDirect
	if lbn < layout.AddrsPerBlock {
		ind, err := f.slot(ip, &ip.Ind, alloc)
		if ind == 0 || err != nil {
			return 0, err
		}
		return f.entry(ip, ind, lbn, alloc)
	}
	lbn -= layout.AddrsPerBlock
	if lbn >= layout.AddrsPerBlock*layout.AddrsPerBlock {
		return 0, linux.EFBIG
	}
	dind, err := f.slot(ip, &ip.DInd, alloc)
	if dind == 0 || err != nil {
		return 0, err
	}
	ind, err := f.entry(ip, dind, lbn/layout.AddrsPerBlock, alloc)
	if ind == 0 || err != nil {
		return 0, err
	}
	return f.entry(ip, ind, lbn%layout.AddrsPerBlock, alloc)
}

// slot returns the block address in *p, filling a hole when alloc.
func (f *FS) slot(ip *inode, p *uint32, alloc bool) (uint32, error) {
	if *p != 0 || !alloc {
		return *p, nil
	}
	b, err := f.balloc()
	if err != nil {
		return 0, err
	}
	*p = b.no
	ip.Blocks++
	return b.no, nil
}

// entry returns entry i of indirect block ind, filling a hole when alloc.
func (f *FS) entry(ip *inode, ind, i uint32, alloc bool) (uint32, error) {
	b, err := f.c.get(ind)
	if err != nil {
		return 0, err
	}
	v := binary.LittleEndian.Uint32(b.data[4*i:])
	if v != 0 {
		if !f.sb.IsData(v) {
			return 0, corruptf("inode %d: indirect block %d lists block %d outside the data region", ip.ino, ind, v)
		}
		return v, nil
	}
	if !alloc {
		return 0, nil
	}
	nb, err := f.balloc()
	if err != nil {
		return 0, err
	}
	f.j.change(b)
	binary.LittleEndian.PutUint32(b.data[4*i:], nb.no)
	ip.Blocks++
	return nb.no, nil
}

// itrunc sets ip's size, freeing the blocks past the new end and zeroing
// the rest of the last block, so that growing the file again reads zeros.
func (f *FS) itrunc(ip *inode, size uint64) error {
	keep := uint32((size + layout.BlockSize - 1) / layout.BlockSize)
	for i := keep; i < layout.NDirect; i++ {
		if err := f.freeTree(ip, &ip.Addrs[i], 0, 0); err != nil {
			return err
		}
	}
	if err := f.freeTree(ip, &ip.Ind, 1, sub(keep, layout.NDirect)); err != nil {
		return err
	}
	if err := f.freeTree(ip, &ip.DInd, 2, sub(keep, layout.NDirect+layout.AddrsPerBlock)); err != nil {
		return err
	}
	if tail := size % layout.BlockSize; tail != 0 && size < ip.Size {
		no, err := f.bmap(ip, uint32(size/layout.BlockSize), false)
		if err != nil {
			return err
		}
		if no != 0 {
			b, err := f.c.get(no)
			if err != nil {
				return err
			}
			f.j.change(b)
			clear(b.data[tail:])
		}
	}
	ip.Size = size
	return nil
}

func sub(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return 0
}

// span returns how many file blocks one entry covers at depth: a data
// block (0) covers 1, an indirect block's entry 1, a double-indirect
// block's entry 1024.
func span(depth int) uint32 { return 1 << (10 * max(depth-1, 0)) }

// freeTree frees, in the tree of depth depth rooted at *p (0: a data
// block; 1: an indirect block; 2: a double-indirect block), every file
// block from `from` on (relative to the tree), and the tree's own indirect
// blocks that no longer list anything kept.
func (f *FS) freeTree(ip *inode, p *uint32, depth int, from uint32) error {
	if *p == 0 || (depth > 0 && from >= span(depth)*layout.AddrsPerBlock) {
		return nil
	}
	if depth > 0 {
		if err := f.freeEntries(ip, *p, depth, from); err != nil {
			return err
		}
		if from > 0 {
			return nil // the block still lists kept blocks
		}
	}
	if err := f.bfree(*p); err != nil {
		return err
	}
	*p = 0
	ip.Blocks--
	return nil
}

// freeEntries frees the entries of indirect block no (at depth) that
// cover file blocks from `from` on.
func (f *FS) freeEntries(ip *inode, no uint32, depth int, from uint32) error {
	b, err := f.c.get(no)
	if err != nil {
		return err
	}
	s := span(depth)
	for i := from / s; i < layout.AddrsPerBlock; i++ {
		v := binary.LittleEndian.Uint32(b.data[4*i:])
		if v == 0 {
			continue
		}
		childFrom := uint32(0)
		if i == from/s {
			childFrom = from % s
		}
		w := v
		if err := f.freeTree(ip, &w, depth-1, childFrom); err != nil {
			return err
		}
		if w != v && from > 0 {
			f.j.change(b)
			binary.LittleEndian.PutUint32(b.data[4*i:], w)
		}
	}
	return nil
}
