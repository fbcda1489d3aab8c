package ostepvm

import (
	"fmt"
	"io"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// segmentationParser is segmentation.py's command line.
var segmentationParser = &optparse.Parser{Prog: "segmentation.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "the random seed"},
	{Short: "-A", Long: "--addresses", Dest: "addresses", Default: "-1", Help: "a set of comma-separated pages to access; -1 means randomly generate"},
	{Short: "-a", Long: "--asize", Dest: "asize", Default: "1k", Help: "address space size (e.g., 16, 64k, 32m, 1g)"},
	{Short: "-p", Long: "--physmem", Dest: "psize", Default: "16k", Help: "physical memory size (e.g., 16, 64k, 32m, 1g)"},
	{Short: "-n", Long: "--numaddrs", Dest: "num", Kind: optparse.IntKind, Default: "5", Help: "number of virtual addresses to generate"},
	{Short: "-b", Long: "--b0", Dest: "base0", Default: "-1", Help: "value of segment 0 base register"},
	{Short: "-l", Long: "--l0", Dest: "len0", Default: "-1", Help: "value of segment 0 limit register"},
	{Short: "-B", Long: "--b1", Dest: "base1", Default: "-1", Help: "value of segment 1 base register"},
	{Short: "-L", Long: "--l1", Dest: "len1", Default: "-1", Help: "value of segment 1 limit register"},
	{Short: "-c", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
}}

// segments are segmentation.py's two segments. base1 is the lowest byte
// of segment 1, which grows down from base1+len1.
type segments struct{ base0, len0, base1, len1, asize int64 }

// Segmentation is vm-segmentation/segmentation.py: two segments, one
// growing up from its base, one down, and addresses to translate.
func Segmentation(args []string, out, errw io.Writer) int {
	v, status, done := osteptool.Parse(segmentationParser, args, out, errw)
	if done {
		return status
	}
	fmt.Fprintf(out, "ARG seed %d\nARG address space size %s\nARG phys mem size %s\n\n", v.Int("seed"), v.Str("asize"), v.Str("psize"))
	r := pyrand.New(v.Int("seed"))
	var sizes [6]int64
	for i, name := range []string{"asize", "psize", "len0", "len1", "base0", "base1"} {
		n, err := convert(v.Str(name))
		if err != nil {
			return osteptool.Traceback(errw, "segmentation.py", err)
		}
		sizes[i] = n
		if i == 1 {
			if msg := segSizeError(sizes[0], sizes[1]); msg != "" {
				fmt.Fprintln(out, "Error:", msg)
				return 1
			}
		}
	}
	psize := sizes[1]
	s := segments{asize: sizes[0], len0: sizes[2], len1: sizes[3], base0: sizes[4], base1: sizes[5]}
	msg, err := s.place(r, psize)
	if err != nil {
		return osteptool.Traceback(errw, "segmentation.py", err)
	}
	if msg == "" {
		msg = s.check(psize)
	}
	if msg != "" {
		fmt.Fprintln(out, "Error:", msg)
		return 1
	}
	fmt.Fprintf(out, "Segment register information:\n\n")
	fmt.Fprintf(out, "  Segment 0 base  (grows positive) : 0x%08x (decimal %d)\n  Segment 0 limit                  : %d\n\n", s.base0, s.base0, s.len0)
	top := s.base1 + s.len1
	fmt.Fprintf(out, "  Segment 1 base  (grows negative) : 0x%08x (decimal %d)\n  Segment 1 limit                  : %d\n\n", top, top, s.len1)
	if s.len0+s.base0 > s.base1 && s.base1 > s.base0 {
		fmt.Fprintln(out, "Error: segments overlap in physical memory")
		return 1
	}
	addrs := strings.Split(v.Str("addresses"), ",")
	if v.Str("addresses") == "-1" {
		addrs = addrs[:0]
		for i := int64(0); i < v.Int("num"); i++ {
			addrs = append(addrs, fmt.Sprint(int64(float64(s.asize)*r.Random())))
		}
	}
	fmt.Fprintln(out, "Virtual Address Trace")
	for i, a := range addrs {
		va, ok := optparse.Int(a)
		if !ok {
			return osteptool.Traceback(errw, "segmentation.py", osteptool.IntError(a))
		}
		if va < 0 || va >= s.asize {
			fmt.Fprintf(out, "Error: virtual address %d cannot be generated in an address space of size %d\n", va, s.asize)
			return 1
		}
		fmt.Fprintf(out, "  VA %2d: 0x%08x (decimal: %4d) --> %s\n", i, va, va, s.translate(va, v.Bool("solve")))
	}
	fmt.Fprintln(out)
	if !v.Bool("solve") {
		fmt.Fprint(out, `For each virtual address, either write down the physical address it translates to
OR write down that it is an out-of-bounds address (a segmentation violation). For
this problem, you should assume a simple address space with two segments: the top
bit of the virtual address can thus be used to check whether the virtual address
is in segment 0 (topbit=0) or segment 1 (topbit=1). Note that the base/limit pairs
given to you grow in different directions, depending on the segment, i.e., segment 0
grows in the positive direction, whereas segment 1 in the negative. 

`)
	}
	return 0
}

// place draws the lengths and bases not given, in the script's order
// (msg is the script's error when it stops first; err, a case it would
// never finish);
// a given base1 is the segment's top, as the user sees it.
func (s *segments) place(r *pyrand.Rand, psize int64) (msg string, err error) {
	quarter := float64(s.asize) / 4.0
	if s.len0 == -1 {
		s.len0 = int64(quarter + quarter*r.Random())
	}
	if s.len1 == -1 {
		s.len1 = int64(quarter + quarter*r.Random())
	}
	if (s.base0 == -1 || s.base1 == -1) && psize <= 2*s.asize {
		return "physical memory must be 2x GREATER than address space size (if randomly generating base registers)", nil
	}
	if s.base0 == -1 {
		if s.len0 >= psize {
			return "", fmt.Errorf("the script would loop forever: segment 0 (%d bytes) leaves no room in %d bytes", s.len0, psize)
		}
		for s.base0 = -1; s.base0 == -1 || s.base0+s.len0 >= psize; {
			s.base0 = int64(float64(psize) * r.Random())
		}
	}
	if s.base1 != -1 {
		s.base1 -= s.len1
		return "", nil
	}
	if !s.roomFor1(psize) {
		return "", fmt.Errorf("the script would loop forever: no room for segment 1 (%d bytes) beside segment 0 in %d bytes", s.len1, psize)
	}
	for {
		b := int64(float64(psize) * r.Random())
		if b+s.len1 < psize && (b > s.base0+s.len0 || b+s.len1 < s.base0) {
			s.base1 = b
			return "", nil
		}
	}
}

// segSizeError is the script's complaint about the two sizes, or "".
func segSizeError(asize, psize int64) string {
	switch {
	case psize <= 4:
		return "must specify a bigger physical memory size"
	case asize == 0:
		return "must specify a non-zero address-space size"
	case psize <= asize:
		return "physical memory size > address space size (for this simulation)"
	}
	return ""
}

// check is the script's complaint about the placed segments, or "", in
// its order.
func (s *segments) check(psize int64) string {
	switch {
	case psize < s.base0+s.len0-1:
		return "seg0 is not in physical memory"
	case psize < s.base1:
		return "seg1 is not in physical memory"
	case float64(s.len0) > float64(s.asize)/2.0:
		return "length0 register is too large for this address space"
	case float64(s.len1) > float64(s.asize)/2.0:
		return "length1 register is too large for this address space"
	}
	return ""
}

// roomFor1 reports whether some base in [0, psize) satisfies the script's
// loop for segment 1.
func (s *segments) roomFor1(psize int64) bool {
	above := max(s.base0+s.len0+1, 0)
	below := min(s.base0-s.len1-1, psize-s.len1-1)
	return (above < psize && above+s.len1 < psize) || below >= 0
}

// translate is the answer for one virtual address.
func (s *segments) translate(va int64, solve bool) string {
	if !solve {
		return "PA or segmentation violation?"
	}
	if float64(va) >= float64(s.asize)/2 {
		pa := s.base1 + s.len1 + (va - s.asize)
		if pa < s.base1 {
			return "SEGMENTATION VIOLATION (SEG1)"
		}
		return fmt.Sprintf("VALID in SEG1: 0x%08x (decimal: %4d)", pa, pa)
	}
	if va >= s.len0 {
		return "SEGMENTATION VIOLATION (SEG0)"
	}
	pa := va + s.base0
	return fmt.Sprintf("VALID in SEG0: 0x%08x (decimal: %4d)", pa, pa)
}
