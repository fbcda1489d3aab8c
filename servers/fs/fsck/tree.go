package fsck

import (
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Pass 4: the tree from the root — names, "..", link counts, reachability.

// checkTree walks the directories from the root breadth first.
func (c *checker) checkTree() error {
	if !c.ok[layout.RootIno] || !c.inodes[layout.RootIno].IsDir() {
		c.problem(Inode, layout.RootIno, "the root (inode 1) is not a good directory: the tree was not checked")
		return nil
	}
	refs := make([]uint32, c.sb.Inodes)   // names of each inode
	parent := make([]uint32, c.sb.Inodes) // a directory's parent, once reached
	subdirs := make([]uint32, c.sb.Inodes)
	parent[layout.RootIno] = layout.RootIno
	queue := []uint32{layout.RootIno}
	for len(queue) > 0 {
		dir := queue[0]
		queue = queue[1:]
		for _, e := range c.dirs[dir] {
			if e.name == "." || e.name == ".." {
				continue
			}
			if !c.child(dir, e, refs, parent) {
				continue
			}
			if c.inodes[e.ino].IsDir() {
				subdirs[dir]++
				queue = append(queue, e.ino)
			}
		}
	}
	if err := c.checkParents(parent); err != nil {
		return err
	}
	c.checkLinks(refs, parent, subdirs)
	return nil
}

// child checks entry e of dir and counts its name; it reports whether
// the entry stays.
func (c *checker) child(dir uint32, e entry, refs, parent []uint32) bool {
	if e.ino >= c.sb.Inodes || !c.ok[e.ino] {
		c.problem(Dir, dir, "directory %d: %s names inode %d, which is not a good inode in use", dir, quote(e.name), e.ino)
		c.clearEntry(dir, e)
		return false
	}
	d := &c.inodes[e.ino]
	if d.IsDir() && parent[e.ino] != 0 {
		c.problem(Dir, dir, "directory %d: %s is a second name of directory %d", dir, quote(e.name), e.ino)
		c.clearEntry(dir, e)
		return false
	}
	if want := fsproto.TypeOfMode(uint32(d.Mode)); e.typ != want {
		c.problem(Dir, dir, "directory %d: %s has type %d, inode %d has type %d", dir, quote(e.name), e.typ, e.ino, want)
		if c.fix {
			c.fixed("directory %d: type of %s", dir, quote(e.name))
			c.must(c.setEntry(dir, e.off, layout.Dirent{Ino: e.ino, Type: want, Name: e.name}))
		}
	}
	refs[e.ino]++
	if d.IsDir() {
		parent[e.ino] = dir
	}
	return true
}

// checkParents checks that the ".." of every reached directory names its
// parent.
func (c *checker) checkParents(parent []uint32) error {
	for dir, es := range c.dirs {
		if parent[dir] == 0 {
			continue
		}
		for _, e := range es {
			if e.name == ".." && e.off == layout.DirentSize && e.ino != parent[dir] {
				c.problem(Dir, dir, "directory %d: \"..\" names %d, its parent is %d", dir, e.ino, parent[dir])
				if c.fix {
					c.fixed("directory %d: \"..\" → %d", dir, parent[dir])
					if err := c.setEntry(dir, e.off, layout.Dirent{Ino: parent[dir], Type: linux.DT_DIR, Name: ".."}); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// checkLinks compares link counts with the names found, and finds the
// inodes in use that no name reaches.
func (c *checker) checkLinks(refs, parent, subdirs []uint32) {
	for ino := uint32(layout.RootIno); ino < c.sb.Inodes; ino++ {
		if !c.ok[ino] {
			continue
		}
		d := &c.inodes[ino]
		reached := refs[ino] > 0 || ino == layout.RootIno
		if !reached {
			c.unreached(ino)
			continue
		}
		c.count(d)
		want := refs[ino]
		if d.IsDir() {
			want = 2 + subdirs[ino]
		}
		if uint32(d.Nlink) != want {
			c.problem(Links, ino, "inode %d has %d links, %d names point at it", ino, d.Nlink, want)
			if c.fix {
				c.fixed("inode %d: link count %d → %d", ino, d.Nlink, want)
				d.Nlink = uint16(want)
				c.dirty[ino] = true
			}
		}
	}
}

// unreached reports an inode in use that no directory names.
func (c *checker) unreached(ino uint32) {
	if c.inodes[ino].Nlink == 0 {
		c.problem(Orphan, ino, "inode %d is in use with no links (unlinked while open); the next mount frees it", ino)
	} else {
		c.problem(Lost, ino, "inode %d is in use with %d links but in no directory", ino, c.inodes[ino].Nlink)
	}
	c.clearInode(ino)
}

// count adds a reached inode to the report's counts.
func (c *checker) count(d *layout.Dinode) {
	switch {
	case d.IsDir():
		c.rep.Dirs++
	case d.IsSymlink():
		c.rep.Symlinks++
	default:
		c.rep.Files++
	}
}

// clearEntry removes a bad entry in a repair.
func (c *checker) clearEntry(dir uint32, e entry) {
	if c.fix {
		c.must(c.setEntry(dir, e.off, layout.Dirent{}))
		c.fixed("directory %d: removed entry %s", dir, quote(e.name))
	}
}

// setEntry writes entry e at byte offset off of directory dir.
func (c *checker) setEntry(dir uint32, off int64, e layout.Dirent) error {
	blocks := c.dirBlocks[dir]
	lbn := off / layout.BlockSize
	if lbn >= int64(len(blocks)) || blocks[lbn] == 0 {
		return nil
	}
	b := make([]byte, layout.BlockSize)
	if err := c.dev.ReadBlocks(int64(blocks[lbn]), b); err != nil {
		return err
	}
	if e.Ino == 0 {
		clear(b[off%layout.BlockSize : off%layout.BlockSize+layout.DirentSize])
	} else {
		e.Encode(b[off%layout.BlockSize:])
	}
	return c.dev.WriteBlocks(int64(blocks[lbn]), b)
}

// must keeps the first write error of a repair.
func (c *checker) must(err error) {
	if err != nil && c.err == nil {
		c.err = err
	}
}
