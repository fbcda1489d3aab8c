package ostepfs

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// vsfsParser is vsfs.py's command line.
var vsfsParser = &optparse.Parser{Prog: "vsfs.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "the random seed"},
	{Short: "-i", Long: "--numInodes", Dest: "numInodes", Kind: optparse.IntKind, Default: "8", Help: "number of inodes in file system"},
	{Short: "-d", Long: "--numData", Dest: "numData", Kind: optparse.IntKind, Default: "8", Help: "number of data blocks in file system"},
	{Short: "-n", Long: "--numRequests", Dest: "numRequests", Kind: optparse.IntKind, Default: "10", Help: "number of requests to simulate"},
	{Short: "-r", Long: "--reverse", Dest: "reverse", Kind: optparse.True, Default: "False", Help: "instead of printing state, print ops"},
	{Short: "-p", Long: "--printFinal", Dest: "printFinal", Kind: optparse.True, Default: "False", Help: "print the final set of files/dirs"},
	{Short: "-c", Long: "--compute", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
}}

// Vsfs is file-implementation/vsfs.py: random creat, mkdir, link, unlink
// and one-block writes on the book's very simple file system (bitmaps,
// inodes of one block, directories of one block), showing either the
// state after each operation (guess the operation) or the operations
// (-r, guess the state). With --mkos (mkos's own flag, not the script's)
// the same operations are then replayed on mkos's file server.
func Vsfs(args []string, out, errw io.Writer) int {
	args, withMkos := cutFlag(args, "--mkos")
	v, status, done := osteptool.Parse(vsfsParser, args, out, errw)
	if done {
		return status
	}
	fmt.Fprintf(out, "ARG seed %d\nARG numInodes %d\nARG numData %d\nARG numRequests %d\nARG reverse %s\nARG printFinal %s\n\n",
		v.Int("seed"), v.Int("numInodes"), v.Int("numData"), v.Int("numRequests"), osteptool.PyBool(v.Bool("reverse")), osteptool.PyBool(v.Bool("printFinal")))
	f := &vsfs{out: out, r: pyrand.New(v.Int("seed")), printOps: v.Bool("reverse"), printState: !v.Bool("reverse")}
	if v.Bool("solve") {
		f.printOps, f.printState = true, true
	}
	if err := f.init(v.Int("numInodes"), v.Int("numData")); err != nil {
		return osteptool.Traceback(errw, "vsfs.py", err)
	}
	st, err := f.run(v.Int("numRequests"), v.Bool("printFinal"))
	if err != nil {
		return osteptool.Traceback(errw, "vsfs.py", err)
	}
	if withMkos {
		if s := vsfsOnMkos(f.ops, out, errw); s != 0 {
			return s
		}
	}
	return st
}

// cutFlag removes flag from args, reporting whether it was there. The
// flags mkos adds to a script are taken out before optparse sees the
// script's own, so they change none of its parsing.
func cutFlag(args []string, flag string) ([]string, bool) {
	i := slices.Index(args, flag)
	if i < 0 {
		return args, false
	}
	return slices.Delete(slices.Clone(args), i, i+1), true
}

// vsfsNames are the names makeName draws from (no i, l).
const vsfsNames = "abcdefghjkmnopqrstuvwxyz"

// vsfsDirEntries is the number of entries a directory block holds.
const vsfsDirEntries = 32

// vsfsEntry is a directory entry.
type vsfsEntry struct {
	name string
	inum int
}

// vsfsInode and vsfsBlock are an inode and a data block: type "free",
// "d" or "f"; an inode's one block (-1 for none) and link count; a
// block's directory entries or file data.
type vsfsInode struct {
	ftype  string
	addr   int
	refCnt int
}

type vsfsBlock struct {
	ftype   string
	entries []vsfsEntry
	data    string
}

// vsfsOp is one operation that took place, for the --mkos replay.
type vsfsOp struct {
	kind         string // creat, mkdir, link, unlink, write
	path, target string
}

// vsfs is vsfs.py's fs object.
type vsfs struct {
	out                  io.Writer
	r                    *pyrand.Rand
	printOps, printState bool
	ibitmap, dbitmap     []bool
	inodes               []vsfsInode
	data                 []vsfsBlock
	files, dirs          []string
	nameToInum           map[string]int
	ops                  []vsfsOp
}

func (f *vsfs) init(numInodes, numData int64) error {
	if numInodes < 1 || numData < 1 {
		return osteptool.PyError("IndexError: list index out of range")
	}
	f.ibitmap, f.dbitmap = make([]bool, numInodes), make([]bool, numData)
	f.inodes, f.data = make([]vsfsInode, numInodes), make([]vsfsBlock, numData)
	for i := range f.inodes {
		f.inodes[i] = vsfsInode{"free", -1, 1}
	}
	for i := range f.data {
		f.data[i].ftype = "free"
	}
	f.ibitmap[0], f.dbitmap[0] = true, true
	f.inodes[0] = vsfsInode{"d", 0, 2}
	f.data[0] = vsfsBlock{ftype: "d", entries: []vsfsEntry{{".", 0}, {"..", 0}}}
	f.dirs = []string{"/"}
	f.nameToInum = map[string]int{"/": 0}
	return nil
}

// alloc is bitmap.alloc: the first free entry, or -1.
func alloc(bmap []bool) int {
	for i, used := range bmap {
		if !used {
			bmap[i] = true
			return i
		}
	}
	return -1
}

func numFree(bmap []bool) int {
	n := 0
	for _, used := range bmap {
		if !used {
			n++
		}
	}
	return n
}

func dumpBitmap(bmap []bool) string {
	var b strings.Builder
	for _, used := range bmap {
		b.WriteByte("01"[btoi(used)])
	}
	return b.String()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// dump is fs.dump: the bitmaps, the inodes and the data blocks.
func (f *vsfs) dump() {
	var b strings.Builder
	fmt.Fprintf(&b, "inode bitmap  %s\ninodes       ", dumpBitmap(f.ibitmap))
	for _, in := range f.inodes {
		if in.ftype == "free" {
			b.WriteString("[]")
		} else {
			fmt.Fprintf(&b, "[%s a:%d r:%d]", in.ftype, in.addr, in.refCnt)
		}
	}
	fmt.Fprintf(&b, "\ndata bitmap   %s\ndata         ", dumpBitmap(f.dbitmap))
	for _, blk := range f.data {
		switch blk.ftype {
		case "free":
			b.WriteString("[]")
		case "d":
			items := make([]string, len(blk.entries))
			for i, e := range blk.entries {
				items[i] = fmt.Sprintf("(%s,%d)", e.name, e.inum)
			}
			fmt.Fprintf(&b, "[%s]", strings.Join(items, " "))
		default:
			fmt.Fprintf(&b, "[%s]", blk.data)
		}
	}
	b.WriteString("\n")
	fmt.Fprint(f.out, b.String())
}

// pick is the script's seq[int(random.random() * len(seq))].
func (f *vsfs) pick(n int) int { return int(f.r.Random() * float64(n)) }

func (f *vsfs) makeName() string {
	i := f.pick(len(vsfsNames))
	return vsfsNames[i : i+1]
}

// run is fs.run: numRequests operations, each retried with new draws
// until one succeeds.
func (f *vsfs) run(numRequests int64, printFinal bool) (int, error) {
	fmt.Fprint(f.out, "Initial state\n\n")
	f.dump()
	fmt.Fprintln(f.out)
	for i := int64(0); i < numRequests; i++ {
		if !f.printOps {
			fmt.Fprintln(f.out, "Which operation took place?")
		}
		for ok := false; !ok; {
			var err error
			if ok, err = f.step(); err != nil {
				return 1, err
			}
			if numFree(f.ibitmap) == 0 {
				fmt.Fprintln(f.out, "File system out of inodes; rerun with more via command-line flag?")
				return 1, nil
			}
			if numFree(f.dbitmap) == 0 {
				fmt.Fprintln(f.out, "File system out of data blocks; rerun with more via command-line flag?")
				return 1, nil
			}
			if !ok && f.stuck() {
				return 1, fmt.Errorf("the script would loop forever: no operation can succeed (no files, and every directory is full or has every name)")
			}
		}
		if f.printState {
			fmt.Fprintln(f.out)
			f.dump()
			fmt.Fprintln(f.out)
		} else {
			fmt.Fprint(f.out, "\n  State of file system (inode bitmap, inodes, data bitmap, data)?\n\n")
		}
	}
	if printFinal {
		fmt.Fprintf(f.out, "\nSummary of files, directories::\n\n  Files:       %s\n  Directories: %s\n\n", pyStrList(f.files), pyStrList(f.dirs))
	}
	return 0, nil
}

// step is one draw of the operation to try; ok when it succeeded.
func (f *vsfs) step() (ok bool, err error) {
	r := f.r.Random()
	switch {
	case r < 0.3:
		return f.doAppend(), nil
	case r < 0.5:
		return f.doDelete()
	case r < 0.7:
		return f.doLink(), nil
	case f.r.Random() < 0.75:
		return f.doCreate("f"), nil
	}
	return f.doCreate("d"), nil
}

// stuck reports that no operation can ever succeed: there is no file to
// write, link or unlink, and no directory can take a new name.
func (f *vsfs) stuck() bool {
	if len(f.files) > 0 {
		return false
	}
	for _, d := range f.dirs {
		blk := &f.data[f.inodes[f.nameToInum[d]].addr]
		if len(blk.entries) < vsfsDirEntries {
			for _, c := range vsfsNames {
				if !blk.has(string(c)) {
					return false
				}
			}
		}
	}
	return true
}

func (b *vsfsBlock) has(name string) bool {
	return slices.ContainsFunc(b.entries, func(e vsfsEntry) bool { return e.name == name })
}

// pyStrList is Python's repr of a list of plain strings.
func pyStrList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = optparse.Repr(s)
	}
	return pyList(q)
}
