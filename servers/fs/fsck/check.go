package fsck

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Check checks the file system on dev and reports its problems. The
// error is for a device that cannot be read; corruption is a problem in
// the report, never an error and never a panic.
func Check(dev bdev.BlockDev) (*Report, error) {
	c, err := newChecker(dev, false)
	if err != nil || c.badSuper {
		return c.rep, err
	}
	return c.run()
}

// checker is one pass over a file system.
type checker struct {
	dev bdev.BlockDev
	sb  layout.Superblock
	fix bool
	rep *Report

	ibm, bbm  []byte              // the bitmaps, as read
	inodes    []layout.Dinode     // the inode table, as read
	ok        []bool              // inode in use and well formed
	owner     []uint32            // block → the inode that claims it; metaOwner for metadata
	dirs      map[uint32][]entry  // directory → its entries in use
	dirBlocks map[uint32][]uint32 // directory → its blocks by file block
	dirty     map[uint32]bool     // inodes changed by a fix, to write back
	err       error               // the first write error of a repair
	badSuper  bool                // the superblock is bad: nothing else is checked
}

// entry is a directory entry in use.
type entry struct {
	name string
	ino  uint32
	typ  uint8
	off  int64 // byte offset in the directory
	no   uint32
}

// metaOwner marks the blocks of the metadata regions in owner.
const metaOwner = ^uint32(0)

// newChecker reads the superblock and the journal. When the superblock is
// bad, the checker's report holds that problem and badSuper is set.
func newChecker(dev bdev.BlockDev, fix bool) (*checker, error) {
	rep := &Report{}
	sb, err := layout.ReadSuperblock(dev)
	if err != nil {
		var ce *layout.CorruptError
		if !errors.As(err, &ce) {
			return &checker{rep: rep}, err
		}
		rep.Problems = append(rep.Problems, Problem{Kind: Superblock, Text: strings.TrimPrefix(ce.What, Superblock.String()+": ")})
		return &checker{rep: rep, badSuper: true}, nil
	}
	c := &checker{dev: dev, sb: sb, fix: fix, rep: rep, dirs: map[uint32][]entry{}, dirBlocks: map[uint32][]uint32{}, dirty: map[uint32]bool{}}
	rep.Blocks, rep.Inodes = int64(sb.Blocks), int64(sb.Inodes)-1
	return c, c.journal()
}

// problem records a problem.
func (c *checker) problem(k Kind, ino uint32, format string, a ...any) {
	c.rep.Problems = append(c.rep.Problems, Problem{Kind: k, Ino: ino, Text: fmt.Sprintf(format, a...)})
}

// fixed records a repair.
func (c *checker) fixed(format string, a ...any) {
	c.rep.Fixed = append(c.rep.Fixed, fmt.Sprintf(format, a...))
}

// journal checks the journal. A committed transaction is read through an
// overlay, so the rest of the check sees the disk as after recovery; with
// fix it is installed instead.
func (c *checker) journal() error {
	h, txn, err := layout.ReadJournal(c.dev, &c.sb)
	var ce *layout.CorruptError
	switch {
	case errors.As(err, &ce):
		c.problem(Journal, 0, "%s", ce.What)
		if c.fix {
			c.fixed("emptied the journal")
			return layout.WriteEmptyJournal(c.dev, &c.sb, h.Seq)
		}
		return nil
	case err != nil:
		return err
	case txn == nil:
		return nil
	case c.fix:
		c.fixed("replayed committed transaction %d (%d blocks)", txn.Seq, len(txn.Homes))
		return txn.Install(c.dev, &c.sb)
	}
	c.rep.Notes = append(c.rep.Notes, fmt.Sprintf("the journal holds committed transaction %d (%d blocks), not yet installed: checked as if replayed (the next mount replays it)", txn.Seq, len(txn.Homes)))
	c.dev = newOverlay(c.dev, txn)
	return nil
}

// run runs the passes after the journal.
func (c *checker) run() (*Report, error) {
	steps := []func() error{c.readMeta, c.checkInodes, c.checkTree, c.checkBitmaps, c.writeBack}
	for _, step := range steps {
		if err := step(); err != nil {
			return c.rep, err
		}
	}
	sortProblems(c.rep.Problems)
	return c.rep, nil
}

// readMeta reads both bitmaps and the inode table.
func (c *checker) readMeta() error {
	var err error
	if c.ibm, err = c.read(c.sb.InodeBitmapStart, c.sb.InodeBitmapBlocks); err != nil {
		return err
	}
	if c.bbm, err = c.read(c.sb.BlockBitmapStart, c.sb.BlockBitmapBlocks); err != nil {
		return err
	}
	table, err := c.read(c.sb.InodeTableStart, c.sb.InodeTableBlocks)
	if err != nil {
		return err
	}
	c.inodes = make([]layout.Dinode, c.sb.Inodes)
	for i := range c.inodes {
		c.inodes[i] = layout.DecodeDinode(table[i*layout.InodeSize:])
	}
	c.ok = make([]bool, c.sb.Inodes)
	c.owner = make([]uint32, c.sb.Blocks)
	for b := uint32(0); b < c.sb.DataStart; b++ {
		c.owner[b] = metaOwner
	}
	return nil
}

// read reads n blocks from start, 16 per request.
func (c *checker) read(start, n uint32) ([]byte, error) {
	out := make([]byte, int(n)*layout.BlockSize)
	for i := uint32(0); i < n; i += 16 {
		k := min(16, n-i)
		if err := c.dev.ReadBlocks(int64(start+i), out[int(i)*layout.BlockSize:int(i+k)*layout.BlockSize]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// overlay reads a device as if a committed transaction had been installed.
type overlay struct {
	bdev.BlockDev
	blocks map[int64][]byte
}

func newOverlay(dev bdev.BlockDev, t *layout.Txn) *overlay {
	o := &overlay{BlockDev: dev, blocks: map[int64][]byte{}}
	for i, home := range t.Homes {
		o.blocks[int64(home)] = t.Data[i]
	}
	return o
}

func (o *overlay) ReadBlocks(block int64, buf []byte) error {
	if err := o.BlockDev.ReadBlocks(block, buf); err != nil {
		return err
	}
	for i := 0; i < len(buf)/layout.BlockSize; i++ {
		if b, ok := o.blocks[block+int64(i)]; ok {
			copy(buf[i*layout.BlockSize:], b)
		}
	}
	return nil
}
