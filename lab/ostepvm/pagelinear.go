package ostepvm

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// pagingLinearParser is paging-linear-translate.py's command line.
var pagingLinearParser = &optparse.Parser{Prog: "paging-linear-translate.py", Options: []optparse.Option{
	{Short: "-A", Long: "--addresses", Dest: "addresses", Default: "-1", Help: "a set of comma-separated pages to access; -1 means randomly generate"},
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "the random seed"},
	{Short: "-a", Long: "--asize", Dest: "asize", Default: "16k", Help: "address space size (e.g., 16, 64k, 32m, 1g)"},
	{Short: "-p", Long: "--physmem", Dest: "psize", Default: "64k", Help: "physical memory size (e.g., 16, 64k, 32m, 1g)"},
	{Short: "-P", Long: "--pagesize", Dest: "pagesize", Default: "4k", Help: "page size (e.g., 4k, 8k, whatever)"},
	{Short: "-n", Long: "--numaddrs", Dest: "num", Kind: optparse.IntKind, Default: "5", Help: "number of virtual addresses to generate"},
	{Short: "-u", Long: "--used", Dest: "used", Kind: optparse.IntKind, Default: "50", Help: "percent of virtual address space that is used"},
	{Short: "-v", Dest: "verbose", Kind: optparse.True, Default: "False", Help: "verbose mode"},
	{Short: "-c", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
}}

// linear is a linear page table: pt[vpn] is the frame, -1 for invalid.
type linear struct {
	pt       []int64
	pageBits uint
	asize    int64
	// walks are the kernel's answers by address index, when the kernel
	// walked them (walkOnKernel).
	walks map[int]kernelWalk
}

// vpn is the script's virtual page number of va: the page of its low 32
// bits.
func (t *linear) vpn(va int64) int64 {
	return (va & (0xFFFFFFFF &^ (1<<t.pageBits - 1))) >> t.pageBits
}

// walkOnKernel has the kernel's MMU answer for every address of addrs
// that is a number within the page table (pagelinear_kernel.go).
func (t *linear) walkOnKernel(addrs []string, frames int64) error {
	var idx []int
	var vas []uint64
	for i, a := range addrs {
		va, ok := optparse.Int(a)
		if !ok {
			break
		}
		if t.vpn(va) < int64(len(t.pt)) {
			idx = append(idx, i)
			vas = append(vas, uint64(va&0xFFFFFFFF))
		}
	}
	walks, err := kernelTranslate(t.pt, frames, vas)
	if err != nil {
		return err
	}
	t.walks = map[int]kernelWalk{}
	for n, i := range idx {
		t.walks[i] = walks[n]
	}
	return nil
}

// PagingLinear is vm-paging/paging-linear-translate.py: a random linear
// page table and addresses to translate through it.
func PagingLinear(args []string, out, errw io.Writer) int {
	v, status, done := osteptool.Parse(pagingLinearParser, args, out, errw)
	if done {
		return status
	}
	fmt.Fprintf(out, "ARG seed %d\nARG address space size %s\nARG phys mem size %s\nARG page size %s\nARG verbose %s\nARG addresses %s\n\n",
		v.Int("seed"), v.Str("asize"), v.Str("psize"), v.Str("pagesize"), osteptool.PyBool(v.Bool("verbose")), v.Str("addresses"))
	r := pyrand.New(v.Int("seed"))
	var sizes [3]int64
	for i, name := range []string{"asize", "psize", "pagesize"} {
		n, err := convert(v.Str(name))
		if err != nil {
			return osteptool.Traceback(errw, "paging-linear-translate.py", err)
		}
		sizes[i] = n
	}
	asize, psize, pagesize := sizes[0], sizes[1], sizes[2]
	if msg := linearSizeError(asize, psize, pagesize); msg != "" {
		if msg == "ZeroDivisionError" {
			return osteptool.Traceback(errw, "paging-linear-translate.py", osteptool.PyError("ZeroDivisionError: float division by zero"))
		}
		fmt.Fprintln(out, msg)
		return 1
	}
	fmt.Fprint(out, `
The format of the page table is simple:
The high-order (left-most) bit is the VALID bit.
  If the bit is 1, the rest of the entry is the PFN.
  If the bit is 0, the page is not valid.
Use verbose mode (-v) if you want to print the VPN # by
each entry of the page table.

Page Table (from entry 0 down to the max size)
`)
	t := &linear{asize: asize, pageBits: uint(log2(pagesize))}
	t.fill(r, psize/pagesize, asize/pagesize, v.Int("used"), func(vpn, entry int64) {
		if v.Bool("verbose") {
			fmt.Fprintf(out, "  [%8d]  ", vpn)
		} else {
			fmt.Fprint(out, "  ")
		}
		fmt.Fprintf(out, "0x%08x\n", entry)
	})
	fmt.Fprintln(out)
	addrs := strings.Split(v.Str("addresses"), ",")
	if v.Str("addresses") == "-1" {
		addrs = addrs[:0]
		for i := int64(0); i < v.Int("num"); i++ {
			addrs = append(addrs, fmt.Sprint(int64(float64(asize)*r.Random())))
		}
	}
	if v.Bool("solve") && pagesize == kernelPageSize {
		if err := t.walkOnKernel(addrs, psize/pagesize); err != nil {
			return osteptool.Traceback(errw, "paging-linear-translate.py", err)
		}
	}
	fmt.Fprintln(out, "Virtual Address Trace")
	for i, a := range addrs {
		va, ok := optparse.Int(a)
		if !ok {
			return osteptool.Traceback(errw, "paging-linear-translate.py", osteptool.IntError(a))
		}
		answer, err := t.translate(i, va, v.Bool("solve"))
		if err != nil {
			return osteptool.Traceback(errw, "paging-linear-translate.py", err)
		}
		fmt.Fprintf(out, "  VA 0x%08x (decimal: %8d) --> %s\n", va, va, answer)
	}
	fmt.Fprintln(out)
	if !v.Bool("solve") {
		fmt.Fprint(out, "For each virtual address, write down the physical address it translates to\nOR write down that it is an out-of-bounds address (e.g., segfault).\n\n")
	}
	return 0
}

// linearSizeError is the script's checks of its sizes, in its order.
func linearSizeError(asize, psize, pagesize int64) string {
	switch {
	case psize <= 1:
		return "Error: must specify a non-zero physical memory size."
	case asize < 1:
		return "Error: must specify a non-zero address-space size."
	case psize <= asize:
		return "Error: physical memory size must be GREATER than address space size (for this simulation)"
	case psize >= 1<<30 || asize >= 1<<30:
		return "Error: must use smaller sizes (less than 1 GB) for this simulation."
	case pagesize == 0:
		return "ZeroDivisionError"
	case !multiple(asize, pagesize):
		return "Error in argument: address space must be a multiple of the pagesize"
	case !multiple(psize, pagesize):
		return "Error in argument: physical memory must be a multiple of the pagesize"
	case math.Pow(2, float64(log2(asize))) != float64(asize):
		return "Error in argument: address space must be a power of 2"
	case math.Pow(2, float64(log2(pagesize))) != float64(pagesize):
		return "Error in argument: page size must be a power of 2"
	}
	return ""
}

// multiple is the script's mustbemultipleof test: int(a/b) == a/b.
func multiple(a, b int64) bool {
	q := float64(a) / float64(b)
	return math.Trunc(q) == q
}

// log2 is int(math.log(n)/math.log(2.0)).
func log2(n int64) int64 { return int64(math.Log(float64(n)) / math.Log(2.0)) }

// fill draws the page table as the script does: each virtual page is
// valid with probability used%, then gets a random free frame.
func (t *linear) fill(r *pyrand.Rand, frames, vpages, used int64, show func(vpn, entry int64)) {
	taken := make([]bool, frames)
	for vpn := int64(0); vpn < vpages; vpn++ {
		for {
			if r.Random()*100.0 > 100.0-float64(used) {
				u := int64(float64(frames) * r.Random())
				if taken[u] {
					continue
				}
				taken[u] = true
				show(vpn, 0x80000000|u)
				t.pt = append(t.pt, u)
				break
			}
			show(vpn, 0)
			t.pt = append(t.pt, -1)
			break
		}
	}
}

// translate is the answer for one virtual address. The script checks no
// range: an address past the table (-A) is its IndexError.
// When the kernel walked address i, its walk is the answer.
func (t *linear) translate(i int, va int64, solve bool) (string, error) {
	if !solve {
		return "PA or invalid address?", nil
	}
	vpn := t.vpn(va)
	if vpn >= int64(len(t.pt)) {
		return "", osteptool.PyError("IndexError: array index out of range")
	}
	valid, pa := t.pt[vpn] >= 0, t.pt[vpn]<<t.pageBits|va&(1<<t.pageBits-1)
	if w, ok := t.walks[i]; ok {
		valid, pa = !w.fault, int64(w.pa)
	}
	if !valid {
		return fmt.Sprintf(" Invalid (VPN %d not valid)", vpn), nil
	}
	return fmt.Sprintf("%08x (decimal %8d) [VPN %d]", pa, pa, vpn), nil
}
