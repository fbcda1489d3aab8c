package ostepfs

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// ffsParser is ffs.py's command line.
var ffsParser = &optparse.Parser{Prog: "ffs.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "the random seed"},
	{Short: "-n", Long: "--num_groups", Dest: "num_groups", Kind: optparse.IntKind, Default: "10", Help: "number of block groups"},
	{Short: "-d", Long: "--datablocks_per_groups", Dest: "blocks_per_group", Kind: optparse.IntKind, Default: "30", Help: "data blocks per group"},
	{Short: "-i", Long: "--inodes_per_group", Dest: "inodes_per_group", Kind: optparse.IntKind, Default: "10", Help: "inodes per group"},
	{Short: "-L", Long: "--large_file_exception", Dest: "large_file_exception", Kind: optparse.IntKind, Default: "30", Help: "0:off, N>0:blocks in group before spreading file to next group"},
	{Short: "-f", Long: "--input_file", Dest: "input_file", Default: "/no/such/file", Help: "command file"},
	{Short: "-I", Long: "--spread_inodes", Dest: "spread_inodes", Kind: optparse.True, Default: "False", Help: "Instead of putting file inodes in parent dir group, spread them evenly around all groups"},
	{Short: "-D", Long: "--spread_data", Dest: "spread_data_blocks", Kind: optparse.True, Default: "False", Help: "Instead of putting data near inode, spread them evenly around all groups"},
	{Short: "-A", Long: "--allocate_faraway", Dest: "allocate_faraway", Kind: optparse.IntKind, Default: "1", Help: "When picking a group, examine this many groups at a time"},
	{Short: "-C", Long: "--contig_allocation_policy", Dest: "contig_allocation_policy", Kind: optparse.IntKind, Default: "1", Help: "number of contig free blocks needed to alloc"},
	{Short: "-T", Long: "--show_spans", Dest: "show_spans", Kind: optparse.True, Default: "False", Help: "show file and directory spans"},
	{Short: "-M", Long: "--show_symbol_map", Dest: "show_symbol_map", Kind: optparse.True, Default: "False", Help: "show symbol map"},
	{Short: "-B", Long: "--show_block_addresses", Dest: "show_block_addresses", Kind: optparse.True, Default: "False", Help: "show block addresses alongside groups"},
	{Short: "-S", Long: "--do_per_file_stats", Dest: "do_per_file_stats", Kind: optparse.True, Default: "False", Help: "print out detailed inode stats"},
	{Short: "-v", Long: "--show_file_ops", Dest: "show_file_ops", Kind: optparse.True, Default: "False", Help: "print out detailed per-op success/failure"},
	{Short: "-c", Long: "--compute", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
}}

// Ffs is file-ffs/ffs.py: the files and directories of a command file
// (-f) placed by FFS's policies in cylinder groups, the groups' bitmaps
// shown, and with -T how far apart each file's and directory's blocks
// lie.
func Ffs(args []string, out, errw io.Writer) int {
	args, withMkos := cutFlag(args, "--mkos")
	v, status, done := osteptool.Parse(ffsParser, args, out, errw)
	if done {
		return status
	}
	o := ffsOpts{groups: int(v.Int("num_groups")), blocks: int(v.Int("blocks_per_group")), inodes: int(v.Int("inodes_per_group")),
		largeFile: int(v.Int("large_file_exception")), faraway: int(v.Int("allocate_faraway")), contig: int(v.Int("contig_allocation_policy")),
		spreadInodes: v.Bool("spread_inodes"), spreadData: v.Bool("spread_data_blocks"), showAddrs: v.Bool("show_block_addresses"),
		perFile: v.Bool("do_per_file_stats"), showOps: v.Bool("show_file_ops"), showSymbols: v.Bool("show_symbol_map"),
		compute: v.Bool("solve"), spans: v.Bool("show_spans")}
	cmds, err := runFFS(o, v.Str("input_file"), out)
	if err != nil {
		if ex, ok := err.(ffsExit); ok {
			return int(ex)
		}
		return osteptool.Traceback(errw, "ffs.py", err)
	}
	if withMkos {
		return ffsOnMkos(cmds, out, errw)
	}
	return 0
}

func runFFS(o ffsOpts, input string, out io.Writer) ([][]string, error) {
	f, err := newFFS(out, o)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(input)
	if err != nil {
		return nil, osteptool.PyError(fmt.Sprintf("FileNotFoundError: [Errno 2] No such file or directory: %s", optparse.Repr(input)))
	}
	text := strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n")
	var cmds [][]string
	for _, line := range strings.Split(text, "\n") {
		w := strings.Fields(line)
		if len(w) == 0 {
			continue
		}
		if err := f.command(w); err != nil {
			return nil, err
		}
		cmds = append(cmds, w)
		if err := f.verify(); err != nil {
			return nil, err
		}
	}
	if err := f.dump(); err != nil {
		return nil, err
	}
	if o.spans {
		return cmds, f.allSpans()
	}
	return cmds, nil
}

// command runs one line of the command file.
func (f *ffs) command(w []string) error {
	want := map[string]int{"file": 3, "dir": 2, "delete": 2, "dump": 1}[w[0]]
	if want == 0 {
		fmt.Fprintln(f.out, "command not recognized", w[0])
		return ffsExit(1)
	}
	if len(w) != want {
		return errFFSAssert
	}
	var rc int
	var err error
	switch w[0] {
	case "file":
		n, perr := pyInt(w[2])
		if perr != nil {
			return perr
		}
		f.vprint("op create %s [size:%d] ->", w[1], n)
		rc, err = f.create(w[1], int(n), "regular")
	case "dir":
		f.vprint("op mkdir %s ->", w[1])
		rc, err = f.create(w[1], 1, "directory")
	case "delete":
		f.vprint("op delete %s ->", w[1])
		rc, err = f.remove(w[1])
	default:
		return f.dump()
	}
	if err != nil {
		return err
	}
	switch {
	case !f.o.showOps:
	case rc == 0:
		fmt.Fprintln(f.out, "success")
	default:
		fmt.Fprintln(f.out, "failed")
	}
	return nil
}

// numericHeader is do_numeric_header: digit power of each position.
func numericHeader(b *strings.Builder, power, n int) {
	step := 1
	for i := 0; i < power; i++ {
		step *= 10
	}
	counter, value := 0, 0
	for i := 0; i < n; i++ {
		if i > 0 && i%10 == 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(b, "%d", value%10)
		if counter++; counter == step {
			value, counter = value+1, 0
		}
	}
}

// dump is the script's dump: the parameters, the groups' bitmaps, and
// (-M, -S) the symbols.
func (f *ffs) dump() error {
	o := f.o
	var b strings.Builder
	fmt.Fprintf(&b, "\nnum_groups:       %d\ninodes_per_group: %d\nblocks_per_group: %d\n\n", o.groups, o.inodes, o.blocks)
	fmt.Fprintf(&b, "free data blocks: %d (of %d)\nfree inodes:      %d (of %d)\n\n", f.dataFree, o.groups*o.blocks, f.inodesFree, o.groups*o.inodes)
	fmt.Fprintf(&b, "spread inodes?    %s\nspread data?      %s\ncontig alloc:     %d\n\n", osteptool.PyBool(o.spreadInodes), osteptool.PyBool(o.spreadData), o.contig)
	ip, dp := len(fmt.Sprint(o.inodes))-1, len(fmt.Sprint(o.blocks))-1
	for p := max(ip, dp); p >= 0; p-- {
		b.WriteString("     ")
		if ip >= p {
			numericHeader(&b, p, o.inodes)
		} else {
			b.WriteString(strings.Repeat(" ", max(o.inodes, 0)))
		}
		if dp >= p {
			numericHeader(&b, p, o.blocks)
		} else {
			b.WriteString(strings.Repeat(" ", max(o.inodes, 0)))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\ngroup %s%sdata\n", "inodes"[:min(max(o.inodes, 0), 6)], strings.Repeat(" ", max(o.inodes-6, 0)))
	count := 0
	for g := 0; g < o.groups; g++ {
		if o.compute {
			is, err := f.listString(f.ibitmap[g])
			var ds string
			if err == nil {
				ds, err = f.listString(f.dbitmap[g])
			}
			if err != nil {
				fmt.Fprint(f.out, b.String())
				return err
			}
			fmt.Fprintf(&b, "  %3d %s %s", g, is, ds)
			if o.showAddrs {
				fmt.Fprintf(&b, "  [%4d-%4d]", count, count+o.inodes+o.blocks-1)
			}
			b.WriteString("\n")
		} else {
			fmt.Fprintf(&b, "  %3d %s %s\n", g, strings.Repeat("?", max(o.inodes, 0)), strings.Repeat("?", max(o.blocks, 0)))
		}
		count += o.inodes + o.blocks
	}
	fmt.Fprint(f.out, b.String())
	return f.dumpSymbols()
}

// dumpSymbols is the end of dump: the symbol of each file (-M), with its
// blocks (-S).
func (f *ffs) dumpSymbols() error {
	if f.o.perFile {
		f.o.showSymbols = true
	}
	if !f.o.showSymbols {
		fmt.Fprintln(f.out)
		return nil
	}
	var b strings.Builder
	b.WriteString("\nsymbol  inode#  filename     filetype ")
	if f.o.perFile {
		b.WriteString("  block_addresses")
	}
	b.WriteString("\n")
	names := append([]string(nil), f.names.keys...)
	sort.Strings(names)
	for _, name := range names {
		inum := f.names.inum[name]
		sym, ok := f.symbolMap[inum]
		if !ok {
			fmt.Fprint(f.out, b.String())
			return osteptool.PyError(fmt.Sprintf("KeyError: %d", inum))
		}
		fmt.Fprintf(&b, "%-6s  %6d  %-11s  %-10s ", sym, inum, name, f.inodeType[inum])
		if f.o.perFile {
			for _, blk := range f.inodeBlocks[inum] {
				fmt.Fprintf(&b, "%d ", blk)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	fmt.Fprint(f.out, b.String())
	return nil
}
