package fsck

import (
	"fmt"
	"sort"

	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Pass 5: the block bitmap against what the inodes claim; then a repair's
// writes, and Repair itself.

// checkBitmaps compares the block bitmap with the metadata regions and the
// claimed blocks, reporting runs of disagreeing blocks.
func (c *checker) checkBitmaps() error {
	var used int64
	run := func(lo, hi uint32, inUse bool) {
		what := "in use but free in the bitmap"
		if !inUse {
			what = "free but marked in use (leaked)"
		}
		span := fmt.Sprintf("block %d is", lo)
		if hi > lo+1 {
			span = fmt.Sprintf("blocks %d-%d are", lo, hi-1)
		}
		c.problem(BlockBitmap, 0, "%s %s", span, what)
	}
	for b := uint32(0); b < c.sb.Blocks; b++ {
		if c.owner[b] != 0 {
			used++
		}
	}
	for b := uint32(0); b < c.sb.Blocks; {
		if !c.mismatch(b) {
			b++
			continue
		}
		inUse := c.owner[b] != 0
		e := b + 1
		for e < c.sb.Blocks && c.mismatch(e) && (c.owner[e] != 0) == inUse {
			e++
		}
		run(b, e, inUse)
		b = e
	}
	c.rep.UsedBlocks = used
	for ino := uint32(1); ino < c.sb.Inodes; ino++ {
		if c.inodes[ino].Mode != 0 {
			c.rep.UsedInodes++
		}
	}
	if c.fix {
		for b := uint32(0); b < c.sb.Blocks; b++ {
			if c.mismatch(b) {
				c.fixed("block bitmap bit %d", b)
			}
			if c.owner[b] != 0 {
				layout.BitSet(c.bbm, int(b))
			} else {
				layout.BitClear(c.bbm, int(b))
			}
		}
	}
	return nil
}

// mismatch reports whether block b's bitmap bit disagrees with its owner.
func (c *checker) mismatch(b uint32) bool {
	if b >= c.sb.Blocks {
		return false
	}
	return layout.BitGet(c.bbm, int(b)) != (c.owner[b] != 0)
}

// writeBack writes what a repair changed: the inodes, then both bitmaps.
func (c *checker) writeBack() error {
	if !c.fix {
		return nil
	}
	if c.err != nil {
		return c.err
	}
	inos := make([]uint32, 0, len(c.dirty))
	for ino := range c.dirty {
		inos = append(inos, ino)
	}
	sort.Slice(inos, func(i, j int) bool { return inos[i] < inos[j] })
	b := make([]byte, layout.BlockSize)
	for _, ino := range inos {
		blk, off := c.sb.InodeBlock(ino)
		if err := c.dev.ReadBlocks(int64(blk), b); err != nil {
			return err
		}
		c.inodes[ino].Encode(b[off:])
		if err := c.dev.WriteBlocks(int64(blk), b); err != nil {
			return err
		}
	}
	if err := c.dev.WriteBlocks(int64(c.sb.InodeBitmapStart), c.ibm); err != nil {
		return err
	}
	if err := c.dev.WriteBlocks(int64(c.sb.BlockBitmapStart), c.bbm); err != nil {
		return err
	}
	return c.dev.Flush()
}

// maxRepairPasses bounds Repair: a fix can uncover a problem the next pass
// fixes (a freed directory loses its children), but not forever.
const maxRepairPasses = 6

// Repair checks the file system on dev and fixes what it finds, pass after
// pass until a check is clean: it replays or empties the journal, frees
// malformed, lost and orphaned inodes (their data is lost), drops bad and
// doubly claimed block addresses, removes bad directory entries, and
// rewrites link counts, block counts, ".." entries and both bitmaps. The
// report is the final check's, with every fix listed. A bad superblock
// cannot be repaired.
func Repair(dev bdev.BlockDev) (*Report, error) {
	var fixed []string
	for pass := 0; pass < maxRepairPasses; pass++ {
		rep, err := Check(dev)
		if err != nil || (rep.Clean() && len(rep.Notes) == 0) {
			rep.Fixed = fixed
			return rep, err
		}
		if len(rep.Problems) > 0 && rep.Problems[0].Kind == Superblock {
			return rep, fmt.Errorf("fsck: the superblock is bad and cannot be repaired: %s", rep.Problems[0].Text)
		}
		c, err := newChecker(dev, true)
		if err == nil && !c.badSuper {
			_, err = c.run()
		}
		fixed = append(fixed, c.rep.Fixed...)
		if err != nil {
			return rep, err
		}
	}
	rep, err := Check(dev)
	rep.Fixed = fixed
	return rep, err
}
