package ostepfs

import (
	"fmt"
	"io"
	"strings"

	"github.com/mkos/mkos/lab/osteptool"
)

// ffsFree marks a free entry of an ffs bitmap (the script's '__FREE__');
// a used one holds the inode number of its owner.
const ffsFree = -1 << 62

// ffsSymbols are the one-character names of inodes in the bitmaps' dump
// (no 'N'), the file's own name when it is one of them.
const ffsSymbols = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMOPQRSTUVWXYZ0123456789!@#%^&*()[]{}/.<>|"

// ffsEntry is a directory entry.
type ffsEntry struct {
	name string
	inum int
}

// ffsOpts are ffs.py's options.
type ffsOpts struct {
	groups, blocks, inodes, largeFile, faraway, contig int
	spreadInodes, spreadData, showAddrs, perFile       bool
	showOps, showSymbols, compute, spans               bool
}

// ffs is ffs.py's file_system: cylinder groups of inodes and data
// blocks, with FFS's policies for placing them.
type ffs struct {
	out                    io.Writer
	o                      ffsOpts
	ibitmap, dbitmap       [][]int
	dataFree, inodesFree   int
	dirData                map[int][]ffsEntry
	inodeType              map[int]string
	inodeBlocks            map[int][]int
	names                  *orderedNames
	symbolMap              map[int]string
	usedSymbols, available []string
}

// orderedNames is name_to_inode_map: a dict, so in insertion order.
type orderedNames struct {
	keys []string
	inum map[string]int
}

func (n *orderedNames) set(k string, v int) {
	if _, ok := n.inum[k]; !ok {
		n.keys = append(n.keys, k)
	}
	n.inum[k] = v
}

func (n *orderedNames) del(k string) {
	delete(n.inum, k)
	n.keys = removeString(n.keys, k)
}

func removeString(s []string, x string) []string {
	for i, y := range s {
		if y == x {
			return append(s[:i:i], s[i+1:]...)
		}
	}
	return s
}

func newFFS(out io.Writer, o ffsOpts) (*ffs, error) {
	f := &ffs{out: out, o: o, dirData: map[int][]ffsEntry{0: {{".", 0}, {"..", 0}}},
		inodeType: map[int]string{0: "directory"}, inodeBlocks: map[int][]int{0: {0}},
		names: &orderedNames{inum: map[string]int{}}, symbolMap: map[int]string{}}
	for g := 0; g < o.groups; g++ {
		f.ibitmap = append(f.ibitmap, filled(o.inodes))
		f.dbitmap = append(f.dbitmap, filled(o.blocks))
	}
	for _, c := range ffsSymbols {
		f.available = append(f.available, string(c))
	}
	f.dataFree, f.inodesFree = o.blocks*o.groups, o.inodes*o.groups
	if len(f.ibitmap) == 0 || len(f.ibitmap[0]) == 0 || len(f.dbitmap[0]) == 0 {
		return nil, errFFSIndex
	}
	f.ibitmap[0][0], f.dbitmap[0][0] = 0, 0
	if err := f.allocSymbol(0, "/"); err != nil {
		return nil, err
	}
	f.dataFree--
	f.inodesFree--
	f.names.set("/", 0)
	return f, nil
}

func filled(n int) []int {
	s := make([]int, max(n, 0))
	for i := range s {
		s[i] = ffsFree
	}
	return s
}

var (
	errFFSIndex  = osteptool.PyError("IndexError: list index out of range")
	errFFSAssert = osteptool.PyError("AssertionError")
)

// at is bitmap[g][i] with Python's indexing (negative from the end).
func at(bm [][]int, g, i int) (*int, error) {
	if g < 0 {
		g += len(bm)
	}
	if g < 0 || g >= len(bm) {
		return nil, errFFSIndex
	}
	row := bm[g]
	if i < 0 {
		i += len(row)
	}
	if i < 0 || i >= len(row) {
		return nil, errFFSIndex
	}
	return &row[i], nil
}

func (f *ffs) vprint(format string, a ...any) {
	if f.o.showOps {
		fmt.Fprintf(f.out, format, a...)
	}
}

func (f *ffs) allocSymbol(inum int, name string) error {
	choice := name
	if containsString(f.usedSymbols, name) || !containsString(f.available, name) {
		if len(f.available) == 0 {
			return errFFSAssert
		}
		choice = f.available[0]
	}
	f.usedSymbols = append(f.usedSymbols, choice)
	f.available = removeString(f.available, choice)
	f.symbolMap[inum] = choice
	return nil
}

func (f *ffs) freeSymbol(inum int) error {
	s, ok := f.symbolMap[inum]
	if !ok {
		return osteptool.PyError(fmt.Sprintf("KeyError: %d", inum))
	}
	delete(f.symbolMap, inum)
	f.usedSymbols = removeString(f.usedSymbols, s)
	f.available = append(f.available, s)
	return nil
}

func containsString(s []string, x string) bool { return indexOf(s, x) >= 0 }

func freeCount(row []int) int {
	n := 0
	for _, v := range row {
		if v == ffsFree {
			n++
		}
	}
	return n
}

// verify is do_verify: the free counts match the bitmaps, and every
// file's blocks are marked with its inode.
func (f *ffs) verify() error {
	used, iused := 0, 0
	for g := range f.dbitmap {
		used += len(f.dbitmap[g]) - freeCount(f.dbitmap[g])
		iused += len(f.ibitmap[g]) - freeCount(f.ibitmap[g])
	}
	if used+f.dataFree != f.o.groups*f.o.blocks || iused+f.inodesFree != f.o.groups*f.o.inodes {
		return errFFSAssert
	}
	for _, name := range f.names.keys {
		inum := f.names.inum[name]
		for _, b := range f.inodeBlocks[inum] {
			p, err := at(f.dbitmap, truncDiv(b, f.o.blocks), int(floorMod(int64(b), int64(f.o.blocks))))
			if err != nil {
				return err
			}
			if *p != inum {
				return errFFSAssert
			}
		}
	}
	return nil
}

func truncDiv(a, b int) int {
	if b == 0 {
		return 0
	}
	return a / b
}

// listString is list_to_string: a bitmap as symbols, '-' for free, a
// space every ten.
func (f *ffs) listString(row []int) (string, error) {
	var b strings.Builder
	for i, v := range row {
		if i > 0 && i%10 == 0 {
			b.WriteByte(' ')
		}
		if v == ffsFree {
			b.WriteByte('-')
			continue
		}
		s, ok := f.symbolMap[v]
		if !ok {
			return "", osteptool.PyError(fmt.Sprintf("KeyError: %d", v))
		}
		b.WriteString(s)
	}
	return b.String(), nil
}
