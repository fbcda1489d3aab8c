package fsck

import (
	"encoding/binary"
	"errors"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Pass 3: every inode on its own, its blocks, and its directory entries.

// checkInodes checks each inode against the inode bitmap and its own
// fields, claims its blocks, and reads the entries of directories.
func (c *checker) checkInodes() error {
	if !layout.BitGet(c.ibm, 0) {
		c.problem(InodeBitmap, 0, "inode 0 (reserved) is not marked in use")
		if c.fix {
			layout.BitSet(c.ibm, 0)
		}
	}
	for ino := uint32(1); ino < c.sb.Inodes; ino++ {
		d := &c.inodes[ino]
		marked := layout.BitGet(c.ibm, int(ino))
		if marked != (d.Mode != 0) {
			c.bitmapMismatch(ino, marked)
		}
		if d.Mode == 0 {
			continue
		}
		if err := d.Check(&c.sb, ino); err != nil {
			var ce *layout.CorruptError
			errors.As(err, &ce)
			c.problem(Inode, ino, "%s", ce.What)
			c.clearInode(ino)
			continue
		}
		c.ok[ino] = true
		if err := c.claimBlocks(ino); err != nil {
			return err
		}
	}
	return nil
}

// bitmapMismatch reports an inode whose bitmap bit disagrees with its
// mode; the mode wins.
func (c *checker) bitmapMismatch(ino uint32, marked bool) {
	if marked {
		c.problem(InodeBitmap, ino, "inode %d is free (mode 0) but marked in use", ino)
	} else {
		c.problem(InodeBitmap, ino, "inode %d is in use (mode %#o) but free in the bitmap", ino, c.inodes[ino].Mode)
	}
	if c.fix {
		if marked {
			layout.BitClear(c.ibm, int(ino))
		} else {
			layout.BitSet(c.ibm, int(ino))
		}
		c.fixed("inode bitmap bit %d", ino)
	}
}

// clearInode frees inode ino in a repair.
func (c *checker) clearInode(ino uint32) {
	if !c.fix {
		return
	}
	c.inodes[ino] = layout.Dinode{Gen: c.inodes[ino].Gen}
	layout.BitClear(c.ibm, int(ino))
	c.dirty[ino] = true
	c.ok[ino] = false
	c.fixed("freed inode %d", ino)
}

// walk is the block walk of one inode.
type walk struct {
	ino     uint32
	endLbn  int64    // the first file block past the end of the file
	count   uint32   // blocks claimed
	dirData []uint32 // a directory's blocks by file block, 0 for a hole
}

// claimBlocks claims every block of inode ino and checks its count, then
// reads a directory's entries.
func (c *checker) claimBlocks(ino uint32) error {
	d := &c.inodes[ino]
	w := &walk{ino: ino, endLbn: int64((d.Size + layout.BlockSize - 1) / layout.BlockSize)}
	if d.IsDir() {
		w.dirData = make([]uint32, w.endLbn)
	}
	for i := range d.Addrs {
		c.claim(w, &d.Addrs[i], int64(i), false)
	}
	if err := c.tree(w, &d.Ind, 1, layout.NDirect); err != nil {
		return err
	}
	if err := c.tree(w, &d.DInd, 2, layout.NDirect+layout.AddrsPerBlock); err != nil {
		return err
	}
	if w.count != d.Blocks {
		c.problem(Blocks, ino, "inode %d owns %d blocks but counts %d", ino, w.count, d.Blocks)
		if c.fix {
			c.fixed("inode %d: block count %d → %d", ino, d.Blocks, w.count)
			d.Blocks = w.count
			c.dirty[ino] = true
		}
	}
	if d.IsDir() {
		c.dirBlocks[ino] = w.dirData
		return c.readDir(w)
	}
	return nil
}

// claim claims the block in *addr for file block lbn (an indirect block
// when indirect). A bad address is a problem; a repair turns it into a
// hole. It reports whether the block was claimed.
func (c *checker) claim(w *walk, addr *uint32, lbn int64, indirect bool) bool {
	a := *addr
	if a == 0 {
		return false
	}
	bad, dup := "", false
	switch {
	case !c.sb.IsData(a):
		bad = "is outside the data region"
	case c.owner[a] != 0:
		c.problem(Blocks, w.ino, "block %d is claimed by inodes %d and %d", a, c.owner[a], w.ino)
		dup = true
	case !indirect && lbn >= w.endLbn:
		bad = "holds data past the end of the file"
	}
	if bad != "" {
		c.problem(Blocks, w.ino, "inode %d: block %d (file block %d) %s", w.ino, a, lbn, bad)
	}
	if bad != "" || dup {
		if c.fix {
			*addr = 0
			c.dirty[w.ino] = true
			c.fixed("inode %d: dropped block %d", w.ino, a)
		}
		return false
	}
	c.owner[a] = w.ino
	w.count++
	if !indirect && w.dirData != nil {
		w.dirData[lbn] = a
	}
	return true
}

// tree claims the indirect block in *addr (depth 1: it lists data blocks;
// 2: it lists indirect blocks) whose first file block is base, and
// everything it lists.
func (c *checker) tree(w *walk, addr *uint32, depth int, base int64) error {
	if !c.claim(w, addr, base, true) {
		return nil
	}
	b := make([]byte, layout.BlockSize)
	if err := c.dev.ReadBlocks(int64(*addr), b); err != nil {
		return err
	}
	span := int64(1)
	if depth == 2 {
		span = layout.AddrsPerBlock
	}
	changed := false
	for i := int64(0); i < layout.AddrsPerBlock; i++ {
		v := binary.LittleEndian.Uint32(b[4*i:])
		was := v
		if depth == 1 {
			c.claim(w, &v, base+i, false)
		} else if err := c.tree(w, &v, 1, base+i*span); err != nil {
			return err
		}
		if v != was {
			binary.LittleEndian.PutUint32(b[4*i:], v)
			changed = true
		}
	}
	if changed && c.fix {
		return c.dev.WriteBlocks(int64(*addr), b)
	}
	return nil
}

// readDir reads the entries of directory w.ino and checks names and the
// places of "." and "..".
func (c *checker) readDir(w *walk) error {
	b := make([]byte, layout.BlockSize)
	for lbn, no := range w.dirData {
		if no == 0 {
			c.problem(Dir, w.ino, "directory %d: file block %d is a hole", w.ino, lbn)
			continue
		}
		if err := c.dev.ReadBlocks(int64(no), b); err != nil {
			return err
		}
		changed := false
		for k := 0; k < layout.DirentsPerBlock; k++ {
			off := int64(lbn)*layout.BlockSize + int64(k)*layout.DirentSize
			raw := b[k*layout.DirentSize : (k+1)*layout.DirentSize]
			if c.dirEntry(w.ino, off, no, raw) {
				changed = true
			}
		}
		if changed {
			if err := c.dev.WriteBlocks(int64(no), b); err != nil {
				return err
			}
		}
	}
	return c.checkDots(w.ino)
}

// dirEntry checks one raw entry and records it; with fix, a bad one is
// cleared and dirEntry reports that raw changed.
func (c *checker) dirEntry(dir uint32, off int64, no uint32, raw []byte) bool {
	ino := binary.LittleEndian.Uint32(raw)
	if ino == 0 {
		return false
	}
	e := layout.DecodeDirent(raw)
	slot := off / layout.DirentSize
	bad := ""
	switch {
	case layout.NameLen(raw) > layout.NameMax || !layout.CheckName(e.Name):
		bad = "has a bad name"
	case (e.Name == ".") != (slot == 0) || (e.Name == "..") != (slot == 1):
		bad = "is " + quote(e.Name) + " out of place"
	}
	if bad != "" {
		c.problem(Dir, dir, "directory %d: entry %d %s", dir, slot, bad)
		if c.fix {
			clear(raw)
			c.fixed("directory %d: cleared entry %d", dir, slot)
			return true
		}
		return false
	}
	c.dirs[dir] = append(c.dirs[dir], entry{name: e.Name, ino: ino, typ: e.Type, off: off, no: no})
	return false
}

// checkDots checks that a directory starts with "." naming itself and "..".
func (c *checker) checkDots(dir uint32) error {
	es := c.dirs[dir]
	hasDot := len(es) > 0 && es[0].name == "." && es[0].off == 0
	if hasDot && es[0].ino != dir {
		c.problem(Dir, dir, "directory %d: \".\" names inode %d", dir, es[0].ino)
		if c.fix {
			c.fixed("directory %d: \".\"", dir)
			return c.setEntry(dir, 0, layout.Dirent{Ino: dir, Type: linux.DT_DIR, Name: "."})
		}
	}
	if !hasDot {
		c.problem(Dir, dir, "directory %d has no \".\"", dir)
		if c.fix {
			c.fixed("directory %d: \".\"", dir)
			return c.setEntry(dir, 0, layout.Dirent{Ino: dir, Type: linux.DT_DIR, Name: "."})
		}
	}
	hasDotDot := false
	for _, e := range es {
		hasDotDot = hasDotDot || (e.name == ".." && e.off == layout.DirentSize)
	}
	if !hasDotDot {
		c.problem(Dir, dir, "directory %d has no \"..\"", dir)
		if c.fix {
			c.fixed("directory %d: \"..\"", dir)
			return c.setEntry(dir, layout.DirentSize, layout.Dirent{Ino: layout.RootIno, Type: linux.DT_DIR, Name: ".."})
		}
	}
	return nil
}

func quote(s string) string { return "\"" + s + "\"" }
