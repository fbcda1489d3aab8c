package ostepfs

import (
	"fmt"
	"strings"

	"github.com/mkos/mkos/lab/osteptool"
)

// spans is get_spans: a file's inode address and the lowest and highest
// address of its data blocks, in the disk's order (each group's inodes,
// then its data blocks).
func (f *ffs) spans(path string) (inum, inode, lo, hi int) {
	o := f.o
	size := o.inodes + o.blocks
	inum = f.inumOf(path)
	inode = int(floorMod(int64(inum), int64(o.inodes))) + truncDiv(inum, o.inodes)*size
	lo, hi = 1+o.groups*size, -1
	for _, d := range f.inodeBlocks[inum] {
		a := int(floorMod(int64(d), int64(o.blocks))) + truncDiv(d, o.blocks)*size + o.inodes
		hi, lo = max(hi, a), min(lo, a)
	}
	return inum, inode, lo, hi
}

// allSpans is do_all_spans: each file's span (inode and data), each
// directory's (itself and its files), and their averages.
func (f *ffs) allSpans() error {
	var b strings.Builder
	defer func() { fmt.Fprint(f.out, b.String()) }()
	b.WriteString("span: files\n")
	results := map[int][3]int{}
	sum, cnt := 0, 0
	for _, name := range f.names.keys {
		inum, inode, lo, hi := f.spans(name)
		if f.inodeType[inum] == "directory" {
			continue
		}
		span := max(hi, inode) - min(lo, inode)
		if _, dup := results[inum]; dup {
			return errFFSAssert
		}
		results[inum] = [3]int{inode, lo, hi}
		if f.o.compute {
			fmt.Fprintf(&b, "  file: %10s  filespan: %3d\n", name, span)
		} else {
			fmt.Fprintf(&b, "  file: %10s  filespan: ?\n", name)
		}
		sum += span
		cnt++
	}
	if cnt > 0 {
		avg := fmt.Sprintf("%3.2f", float64(sum)/float64(cnt))
		if f.o.compute {
			fmt.Fprintf(&b, "               avg  filespan: %6s\n", avg)
		} else {
			b.WriteString("               avg  filespan: ?\n")
		}
	}
	b.WriteString("\nspan: directories\n")
	sum, cnt = 0, 0
	for _, name := range f.names.keys {
		inum, inode, lo, hi := f.spans(name)
		if f.inodeType[inum] != "directory" {
			continue
		}
		all := []int{inode, lo, hi}
		for _, e := range f.dirData[inum] {
			if e.name == "." || e.name == ".." || f.inodeType[e.inum] == "directory" {
				continue
			}
			r, ok := results[e.inum]
			if !ok {
				return osteptool.PyError(fmt.Sprintf("KeyError: %d", e.inum))
			}
			all = append(all, r[:]...)
		}
		span := maxOf(all) - minOf(all)
		sum += span
		cnt++
		if f.o.compute {
			fmt.Fprintf(&b, "  dir:  %10s  dirspan: %3d\n", name, span)
		} else {
			fmt.Fprintf(&b, "  dir:  %10s  dirspan: ?\n", name)
		}
	}
	if cnt == 0 {
		return osteptool.PyError("ZeroDivisionError: float division by zero")
	}
	if f.o.compute {
		fmt.Fprintf(&b, "               avg  dirspan: %6s\n", fmt.Sprintf("%3.2f", float64(sum)/float64(cnt)))
	} else {
		b.WriteString("               avg  dirspan: ?\n")
	}
	b.WriteString("\n")
	return nil
}

func maxOf(s []int) int {
	m := s[0]
	for _, x := range s {
		m = max(m, x)
	}
	return m
}

func minOf(s []int) int {
	m := s[0]
	for _, x := range s {
		m = min(m, x)
	}
	return m
}
