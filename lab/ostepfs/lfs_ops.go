package ostepfs

import "fmt"

// lfsWalk is __walk_path's answer: the inode number of path's last
// element (-1 if none), its name, and its parent directory's number and
// inode (ok false when the walk failed and the script returned ” for it).
type lfsWalk struct {
	inum   int
	name   string
	pinum  int
	parent lfsBlock
	ok     bool
}

// lookup is __lookup: name's inode number in directory pinum (-1 if
// none), and that directory's inode.
func (l *lfs) lookup(pinum int, name string) (int, lfsBlock, error) {
	p, err := l.inode(pinum)
	if err != nil {
		return 0, lfsBlock{}, err
	}
	if !p.dirType {
		return 0, lfsBlock{}, errLFSAssert
	}
	parent := *p
	for _, a := range parent.ptrs {
		if a == -1 {
			continue
		}
		d, err := l.block(a)
		if err != nil {
			return 0, parent, err
		}
		if d.kind != lfsDirBlock {
			return 0, parent, errLFSAssert
		}
		for _, e := range d.dir {
			if e.name == name {
				return e.inum, parent, nil
			}
		}
	}
	return -1, parent, nil
}

// walk is __walk_path: path from the root, one directory at a time.
func (l *lfs) walk(path string) (lfsWalk, error) {
	parts := splitAll(path, "/")
	if parts[0] != "" {
		l.errorf("path malformed: must start with /")
		return lfsWalk{inum: -1, pinum: -1}, nil
	}
	pinum := 0
	for i := 1; i < len(parts)-1; i++ {
		dir := parts[i]
		inum, _, err := l.lookup(pinum, dir)
		if err != nil {
			return lfsWalk{}, err
		}
		if inum == -1 {
			l.errorf("directory %s not found", dir)
			return lfsWalk{inum: -1, pinum: -1}, nil
		}
		pinum = inum
	}
	name := parts[len(parts)-1]
	inum, parent, err := l.lookup(pinum, name)
	return lfsWalk{inum: inum, name: name, pinum: pinum, parent: parent, ok: true}, err
}

// findSlot is __find_matching_dir_slot: the block and slot of name in
// directory inode dir, or -1, -1.
func (l *lfs) findSlot(name string, dir *lfsBlock) (int, int, error) {
	for i := 0; i < dir.size; i++ {
		if i >= lfsInodePtrs {
			return 0, 0, errLFSIndex
		}
		d, err := l.block(dir.ptrs[i])
		if err != nil {
			return 0, 0, err
		}
		if d.kind != lfsDirBlock {
			return 0, 0, errLFSAssert
		}
		for s, e := range d.dir {
			if e.name == name {
				return i, s, nil
			}
		}
	}
	return -1, -1, nil
}

// addDirEntry is __add_dir_entry: the new version of the directory block
// that takes (name, inum), which pointer of the parent it replaces, and
// the parent's new size; index -1 when the directory is full.
func (l *lfs) addDirEntry(w lfsWalk, name string, inum int) (index, size int, blk lfsBlock, err error) {
	if !w.ok {
		return 0, 0, blk, errLFSParent
	}
	i, s, err := l.findSlot("-", &w.parent)
	switch {
	case err != nil:
		return 0, 0, blk, err
	case i != -1:
		blk = l.disk[pyIndex(w.parent.ptrs[i], len(l.disk))]
		blk.dir[s] = lfsDirent{name, inum}
		return i, w.parent.size, blk, nil
	case w.parent.size != lfsInodePtrs:
		blk = emptyDirBlock()
		blk.dir[0] = lfsDirent{name, inum}
		return w.parent.size, w.parent.size + 1, blk, nil
	}
	return -1, -1, blk, nil
}

// pyIndex is a Python list index i of a list of n (negative from the end).
func pyIndex(i, n int) int {
	if i < 0 {
		return i + n
	}
	return i
}

// updateImap logs the imap chunk of each inode number's chunk, once.
func (l *lfs) updateImap(inums ...int) {
	var done []int
	for _, inum := range inums {
		c := inum / lfsChunkInums
		if !containsInt(done, c) {
			done = append(done, c)
			l.cr[c] = l.log(l.imapChunk(c))
		}
	}
}

func containsInt(s []int, x int) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func (l *lfs) checkpoint() {
	if !l.noForce {
		l.crSync()
	}
}

// create is __file_create: a new file or directory at path.
func (l *lfs) create(path string, isFile bool) (int, error) {
	l.errors = nil
	w, err := l.walk(path)
	if err != nil {
		return 0, err
	}
	if w.inum != -1 {
		l.errorf("create failed: file already exists")
		return -1, nil
	}
	if w.pinum == -1 {
		l.errorf("create failed: walkpath returned error [%s]", path)
		return -1, nil
	}
	inum := l.allocInode()
	if inum == -1 {
		l.errorf("create failed: no more inodes available")
		return -1, nil
	}
	idx, size, dblk, err := l.addDirEntry(w, w.name, inum)
	if err != nil {
		return 0, err
	}
	if idx == -1 {
		l.errorf("error: directory is full (path %s)", path)
		l.imap[inum] = -1
		return -1, nil
	}
	parent := w.parent
	parent.size = size
	parent.ptrs[idx] = l.log(dblk)
	inode := newInode(false, 0, 1)
	if !isFile {
		parent.refs++
		inode = newInode(true, 1, 2)
		inode.ptrs[0] = l.log(newDirBlock(w.pinum, inum))
	}
	l.imap[w.pinum] = l.log(parent)
	l.imap[inum] = l.log(inode)
	l.updateImap(w.pinum, inum)
	l.checkpoint()
	return 0, nil
}

// link is file_link: a second name dst for the regular file src.
func (l *lfs) link(src, dst string) (int, error) {
	l.errors = nil
	sw, err := l.walk(src)
	if err != nil {
		return 0, err
	}
	if sw.inum == -1 {
		l.errorf("link failed, src [%s] not found", src)
		return -1, nil
	}
	si, err := l.inode(sw.inum)
	if err != nil {
		return 0, err
	}
	sinode := *si
	if sinode.dirType {
		l.errorf("link failed: cannot link to non-regular file [%s]", src)
		return -1, nil
	}
	dw, err := l.walk(dst)
	if err != nil {
		return 0, err
	}
	if dw.inum != -1 {
		l.errorf("link failed, dst [%s] exists", dst)
		return -1, nil
	}
	idx, size, dblk, err := l.addDirEntry(dw, dw.name, sw.inum)
	if err != nil {
		return 0, err
	}
	if idx == -1 {
		l.errorf("error: directory is full [path %s]", dst)
		return -1, nil
	}
	parent := dw.parent
	parent.size = size
	parent.ptrs[idx] = l.log(dblk)
	paddr := l.log(parent)
	sinode.refs++
	saddr := l.log(sinode)
	l.imap[dw.pinum] = paddr
	l.imap[sw.inum] = saddr
	l.updateImap(dw.pinum)
	l.checkpoint()
	return 0, nil
}

// write is file_write: n new blocks of random contents at block offset
// off of the file at path; it returns the number written.
func (l *lfs) write(path string, off, n int) (int, error) {
	l.errors = nil
	contents := make([]string, 0, max(n, 0))
	for i := 0; i < n; i++ {
		c := string(rune('a' + int(l.r.Random()*26)))
		contents = append(contents, repeatString(fmt.Sprintf("%s%d", c, i), 16))
	}
	w, err := l.walk(path)
	if err != nil {
		return 0, err
	}
	if w.inum == -1 {
		l.errorf("write failed: file not found [path %s]", path)
		return -1, nil
	}
	in, err := l.inode(w.inum)
	if err != nil {
		return 0, err
	}
	inode := *in
	if inode.dirType {
		l.errorf("write failed: cannot write to non-regular file %s", path)
		return -1, nil
	}
	if off < 0 || off >= lfsInodePtrs {
		l.errorf("write failed: bad offset %d", off)
		return -1, nil
	}
	cur := off
	for ; cur < lfsInodePtrs && cur < off+len(contents); cur++ {
		inode.ptrs[cur] = l.log(lfsBlock{kind: lfsDataBlock, contents: contents[cur-off]})
	}
	inode.size = max(cur, inode.size)
	l.imap[w.inum] = l.log(inode)
	c := w.inum / lfsChunkInums
	l.cr[c] = l.log(l.imapChunk(c))
	l.checkpoint()
	return cur - off, nil
}

// remove is file_delete: unlink the regular file at path.
func (l *lfs) remove(path string) (int, error) {
	l.errors = nil
	w, err := l.walk(path)
	if err != nil {
		return 0, err
	}
	if w.inum == -1 {
		l.errorf("delete failed: file not found [%s]", path)
		return -1, nil
	}
	in, err := l.inode(w.inum)
	if err != nil {
		return 0, err
	}
	inode := *in
	if inode.dirType {
		l.errorf("delete failed: cannot delete non-regular file [%s]", path)
		return -1, nil
	}
	if inode.refs == 1 {
		if l.imap[w.inum] == -1 {
			return 0, errLFSAssert
		}
		l.imap[w.inum] = -1
	}
	i, s, err := l.findSlot(w.name, &w.parent)
	if err != nil {
		return 0, err
	}
	if i == -1 {
		return 0, errLFSAssert
	}
	dblk := l.disk[pyIndex(w.parent.ptrs[i], len(l.disk))]
	dblk.dir[s] = lfsDirent{"-", -1}
	parent := w.parent
	parent.ptrs[i] = l.log(dblk)
	l.imap[w.pinum] = l.log(parent)
	if inode.refs > 1 {
		inode.refs--
		l.imap[w.inum] = l.log(inode)
	}
	l.updateImap(w.inum, w.pinum)
	l.checkpoint()
	return 0, nil
}

func repeatString(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}
