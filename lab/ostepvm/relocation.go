package ostepvm

import (
	"fmt"
	"io"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// relocationParser is relocation.py's command line.
var relocationParser = &optparse.Parser{Prog: "relocation.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "the random seed"},
	{Short: "-a", Long: "--asize", Dest: "asize", Default: "1k", Help: "address space size (e.g., 16, 64k, 32m, 1g)"},
	{Short: "-p", Long: "--physmem", Dest: "psize", Default: "16k", Help: "physical memory size (e.g., 16, 64k, 32m, 1g)"},
	{Short: "-n", Long: "--addresses", Dest: "num", Kind: optparse.IntKind, Default: "5", Help: "number of virtual addresses to generate"},
	{Short: "-b", Long: "--b", Dest: "base", Default: "-1", Help: "value of base register"},
	{Short: "-l", Long: "--l", Dest: "limit", Default: "-1", Help: "value of limit register"},
	{Short: "-c", Long: "--compute", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
}}

// Relocation is vm-mechanism/relocation.py: a base-and-bounds register
// pair, drawn or given, and a trace of virtual addresses to translate.
func Relocation(args []string, out, errw io.Writer) int {
	v, status, done := osteptool.Parse(relocationParser, args, out, errw)
	if done {
		return status
	}
	fmt.Fprintf(out, "\nARG seed %d\nARG address space size %s\nARG phys mem size %s\n\n", v.Int("seed"), v.Str("asize"), v.Str("psize"))
	r := pyrand.New(v.Int("seed"))
	asize, err := convert(v.Str("asize"))
	if err != nil {
		return osteptool.Traceback(errw, "relocation.py", err)
	}
	psize, err := convert(v.Str("psize"))
	if err != nil {
		return osteptool.Traceback(errw, "relocation.py", err)
	}
	if msg := sizeError(asize, psize); msg != "" {
		fmt.Fprintln(out, msg)
		return 1
	}
	limit, err := convert(v.Str("limit"))
	if err != nil {
		return osteptool.Traceback(errw, "relocation.py", err)
	}
	base, err := convert(v.Str("base"))
	if err != nil {
		return osteptool.Traceback(errw, "relocation.py", err)
	}
	if limit == -1 {
		limit = int64(float64(asize)/4.0 + float64(asize)/4.0*r.Random())
	}
	if base == -1 {
		if limit >= psize {
			return osteptool.Traceback(errw, "relocation.py", fmt.Errorf("the script would loop forever: a limit of %d leaves no room for a base in %d bytes of physical memory", limit, psize))
		}
		for base = -1; base == -1 || base+limit >= psize; {
			base = int64(float64(psize) * r.Random())
		}
	}
	fmt.Fprintf(out, "Base-and-Bounds register information:\n\n  Base   : 0x%08x (decimal %d)\n  Limit  : %d\n\n", base, base, limit)
	if base+limit > psize {
		fmt.Fprintf(out, "Error: address space does not fit into physical memory with those base/bounds values.\nBase + Limit: %d   Psize: %d\n", base+limit, psize)
		return 1
	}
	fmt.Fprintln(out, "Virtual Address Trace")
	solve := v.Bool("solve")
	for i := int64(0); i < v.Int("num"); i++ {
		va := int64(float64(asize) * r.Random())
		fmt.Fprintf(out, "  VA %2d: 0x%08x (decimal: %4d) --> %s\n", i, va, va, relocate(va, base, limit, solve))
	}
	fmt.Fprintln(out)
	if !solve {
		fmt.Fprint(out, `For each virtual address, either write down the physical address it translates to
OR write down that it is an out-of-bounds address (a segmentation violation). For
this problem, you should assume a simple virtual address space of a given size.

`)
	}
	return 0
}

// relocate is the answer for one virtual address under base and bounds.
func relocate(va, base, limit int64, solve bool) string {
	switch {
	case !solve:
		return "PA or segmentation violation?"
	case va >= limit:
		return "SEGMENTATION VIOLATION"
	}
	pa := va + base
	return fmt.Sprintf("VALID: 0x%08x (decimal: %4d)", pa, pa)
}

// sizeError is the tools' check of the two sizes, "" when they are fine.
func sizeError(asize, psize int64) string {
	switch {
	case psize <= 1:
		return "Error: must specify a non-zero physical memory size."
	case asize == 0:
		return "Error: must specify a non-zero address-space size."
	case psize <= asize:
		return "Error: physical memory size must be GREATER than address space size (for this simulation)"
	}
	return ""
}
