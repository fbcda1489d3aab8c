package ostepfs

import (
	"fmt"
	"strings"

	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// ffsParent is get_parent: the directory part and the last name of path
// (Python's slicing, so a path without '/' drops its last character).
func ffsParent(path string) (string, string) {
	i := strings.LastIndex(path, "/")
	switch {
	case i == 0:
		return "/", path[1:]
	case i < 0:
		return path[:max(len(path)-1, 0)], path
	}
	return path[:i], path[i+1:]
}

func (f *ffs) inumOf(path string) int {
	if n, ok := f.names.inum[path]; ok {
		return n
	}
	return -1
}

func (f *ffs) groupFree(g int) (int, error) {
	if g < 0 {
		g += len(f.ibitmap)
	}
	if g < 0 || g >= len(f.ibitmap) {
		return 0, errFFSIndex
	}
	return freeCount(f.ibitmap[g]), nil
}

// pickGroup is pick_group: a file's inode goes to its directory's group
// (or the nearest with a free inode); a directory's (and with -I every
// inode) to the group, or run of -A groups, with the most free inodes.
func (f *ffs) pickGroup(parent, ftype string) (int, error) {
	if ftype == "regular" && !f.o.spreadInodes {
		g := int(truncDiv(f.inumOf(parent), f.o.inodes))
		n, err := f.groupFree(g)
		if err != nil || n > 0 {
			return g, err
		}
		return f.freeInodesNear(g)
	}
	return f.mostFreeInodes(f.o.faraway)
}

// mostFreeInodes is find_most_free_inodes_multiple(0, how).
func (f *ffs) mostFreeInodes(how int) (int, error) {
	starts, err := pyRange(0, int64(f.o.groups), int64(how))
	if err != nil {
		return 0, err
	}
	best, target := 0, -1
	for _, g := range starts {
		sum := 0
		for x := int(g); x < int(g)+how; x++ {
			sum += freeCount(f.ibitmap[floorMod(int64(x), int64(f.o.groups))])
		}
		if sum > best {
			best, target = sum, int(g)
		}
	}
	if target == -1 {
		return 0, errFFSAssert
	}
	return target, nil
}

// freeInodesNear is find_free_inodes_near: the groups after and before
// target in turn; 1 when none has a free inode.
func (f *ffs) freeInodesNear(target int) (int, error) {
	n := int64(f.o.groups)
	grow, shrink := floorMod(int64(target)+1, n), floorMod(int64(target)-1, n)
	for i := 0; i < f.o.groups-1; i++ {
		g := grow
		if i%2 == 0 {
			grow = floorMod(grow+1, n)
		} else {
			g = shrink
			shrink = floorMod(shrink-1, n)
		}
		if freeCount(f.ibitmap[g]) > 0 {
			return int(g), nil
		}
	}
	return 1, nil
}

// rangeFree is range_free: the needed (at most chunks) blocks from index
// are free in group g.
func (f *ffs) rangeFree(g, index, needed, chunks int) bool {
	chunks = min(chunks, needed)
	end := index + chunks - 1
	if end >= f.o.blocks {
		return false
	}
	for i := index; i <= end; i++ {
		if f.dbitmap[g][i] != ffsFree {
			return false
		}
	}
	return true
}

// maxFFSSteps bounds allocateBlocks' search.
const maxFFSSteps = 1 << 26

// allocateBlocks is allocate_blocks: size blocks for inode inum from
// group target on, each at the start of -C free blocks while it can be,
// at most -L blocks in a group before the next.
func (f *ffs) allocateBlocks(target, size, inum int) ([][2]int, error) {
	if size > f.dataFree {
		return nil, errFFSAssert
	}
	var got [][2]int
	index, inGroup, g, chunks := 0, 0, target, f.o.contig
	for step := 0; ; step++ {
		if step == maxFFSSteps {
			return nil, fmt.Errorf("the script would loop forever allocating %d blocks", size)
		}
		if g < 0 || g >= f.o.groups || index >= len(f.dbitmap[g]) {
			return nil, errFFSIndex
		}
		if f.rangeFree(g, index, size-len(got), chunks) {
			if f.dbitmap[g][index] != ffsFree {
				return nil, errFFSAssert
			}
			f.dbitmap[g][index] = inum
			inGroup++
			got = append(got, [2]int{g, index})
		}
		index++
		if len(got) == size {
			return got, nil
		}
		if index == f.o.blocks || (f.o.largeFile > 0 && inGroup == f.o.largeFile) {
			inGroup, index = 0, 0
			g = int(floorMod(int64(g)+1, int64(f.o.groups)))
			if g == target {
				chunks = 1
			}
		}
	}
}

// create is do_create: a file of size blocks, or a directory (one block).
func (f *ffs) create(path string, size int, ftype string) (int, error) {
	parent, name := ffsParent(path)
	if f.inodesFree == 0 {
		f.vprint("[out of inodes]")
		return -1, nil
	}
	if f.dataFree < size {
		f.vprint("[out of disk space]")
		return -1, nil
	}
	pinum := f.inumOf(parent)
	if pinum == -1 {
		f.vprint("[failed to find parent %s]", parent)
		return -1, nil
	}
	ents, ok := f.dirData[pinum]
	if !ok {
		return 0, osteptool.PyError(fmt.Sprintf("KeyError: %d", pinum))
	}
	for _, e := range ents {
		if e.name == name {
			f.vprint("[file %s already exists in dir %s]", name, parent)
			return -1, nil
		}
	}
	g, err := f.pickGroup(parent, ftype)
	if err != nil {
		return 0, err
	}
	if g < 0 || g >= f.o.groups {
		return 0, errFFSIndex
	}
	idx := indexOfInt(f.ibitmap[g], ffsFree)
	if idx == -1 {
		f.vprint("[cannot find free inode]")
	}
	inum := idx + g*f.o.inodes
	dg := g
	if f.o.spreadData {
		dg = f.minDataUsage()
		fmt.Fprintln(f.out, "target alloc", dg)
	}
	got, err := f.allocateBlocks(dg, size, inum)
	if err != nil {
		return 0, err
	}
	if len(got) == 0 {
		return -1, nil
	}
	p, err := at(f.ibitmap, g, idx)
	if err != nil {
		return 0, err
	}
	*p = idx + g*f.o.inodes
	f.dirData[pinum] = append(f.dirData[pinum], ffsEntry{name, inum})
	f.inodeType[inum] = ftype
	f.inodeBlocks[inum] = nil
	for _, b := range got {
		f.inodeBlocks[inum] = append(f.inodeBlocks[inum], b[1]+b[0]*f.o.blocks)
	}
	if _, ok := f.names.inum[path]; ok {
		fmt.Fprintln(f.out, "abort: path already in mapping (internal error)")
		return 0, ffsExit(1)
	}
	f.names.set(path, inum)
	if err := f.allocSymbol(inum, name); err != nil {
		return 0, err
	}
	if ftype == "directory" {
		f.dirData[inum] = []ffsEntry{{".", 0}, {"..", 0}}
	}
	f.inodesFree--
	f.dataFree -= size
	return 0, nil
}

// ffsExit is exit(status) after the script printed why.
type ffsExit int

func (e ffsExit) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func indexOfInt(s []int, x int) int {
	for i, y := range s {
		if y == x {
			return i
		}
	}
	return -1
}

// minDataUsage is find_min_data_usage: the group with the most free data
// blocks (-1 if none has any).
func (f *ffs) minDataUsage() int {
	g, most := -1, 0
	for i, row := range f.dbitmap {
		if n := freeCount(row); n > most {
			g, most = i, n
		}
	}
	return g
}

// remove is do_delete. As the script does, it finds the bitmap entries of
// the file's blocks and inode by dividing by the number of groups.
func (f *ffs) remove(path string) (int, error) {
	parent, name := ffsParent(path)
	pinum := f.inumOf(parent)
	if pinum == -1 {
		f.vprint("[cannot find parent inode %s]", parent)
		return -1, nil
	}
	ents, ok := f.dirData[pinum]
	if !ok {
		return 0, osteptool.PyError(fmt.Sprintf("KeyError: %d", pinum))
	}
	del := -1
	for i, e := range ents {
		if e.name == name {
			del = i
			break
		}
	}
	if del == -1 {
		f.vprint("[cannot find %s in dir %s]", name, parent)
		return -1, nil
	}
	inum := ents[del].inum
	if f.inodeType[inum] == "directory" {
		f.vprint("[cannot delete directories]")
		return -1, nil
	}
	f.dirData[pinum] = append(ents[:del:del], ents[del+1:]...)
	n := int64(f.o.groups)
	for _, b := range f.inodeBlocks[inum] {
		p, err := at(f.dbitmap, truncDiv(b, f.o.groups), int(floorMod(int64(b), n)))
		if err != nil {
			return 0, err
		}
		*p = ffsFree
	}
	p, err := at(f.ibitmap, truncDiv(inum, f.o.groups), int(floorMod(int64(inum), n)))
	if err != nil {
		return 0, err
	}
	*p = ffsFree
	if err := f.freeSymbol(inum); err != nil {
		return 0, err
	}
	if _, ok := f.names.inum[path]; !ok {
		return 0, osteptool.PyError("KeyError: " + optparse.Repr(path))
	}
	f.names.del(path)
	f.inodesFree++
	f.dataFree += len(f.inodeBlocks[inum])
	f.inodeType[inum] = ""
	f.inodeBlocks[inum] = nil
	return 0, nil
}
