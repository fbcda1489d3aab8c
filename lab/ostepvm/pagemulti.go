package ostepvm

import (
	"fmt"
	"io"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// pagingMultiParser is paging-multilevel-translate.py's command line.
var pagingMultiParser = &optparse.Parser{Prog: "paging-multilevel-translate.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "the random seed"},
	{Short: "-a", Long: "--allocated", Dest: "allocated", Kind: optparse.IntKind, Default: "64", Help: "number of virtual pages allocated"},
	{Short: "-n", Long: "--addresses", Dest: "num", Kind: optparse.IntKind, Default: "10", Help: "number of virtual addresses to generate"},
	{Short: "-c", Long: "--solve", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
}}

// The book's machine of chapter 20: 32-byte pages, 128 physical pages
// (4 KiB), a 32 KiB virtual address space of 1024 pages, and a two-level
// page table of one-byte entries: a valid bit and a 7-bit frame number.
// A virtual address is 5 bits of directory index, 5 of table index and 5
// of offset.
const (
	mlPageSize  = 32
	mlPhysPages = 128
	mlVAPages   = 1024
	mlPageBits  = 5
	mlPDEMask   = 0x7c00
	mlPTEMask   = 0x03e0
	mlOffMask   = 0x1f
	mlValid     = 0x80
	mlInvalid   = 0x7f // an entry not yet valid: the script fills with it
)

// multiLevel is the physical memory of the book's machine, the page tables
// in it, and which frames are taken.
type multiLevel struct {
	mem   [mlPageSize * mlPhysPages]byte
	used  [mlPhysPages]bool
	nUsed int
	pdbr  int // the frame of the page directory
	r     *pyrand.Rand
}

// errFull is the script's assertion that a free frame is left.
var errFull = osteptool.PyError("AssertionError")

// findFree takes a random free frame, drawing as the script draws.
func (m *multiLevel) findFree() (int, error) {
	if m.nUsed >= mlPhysPages {
		return 0, errFull
	}
	look := int(m.r.Random() * mlPhysPages)
	for m.used[look] {
		look = int(m.r.Random() * mlPhysPages)
	}
	m.used[look] = true
	m.nUsed++
	return look, nil
}

// clearPage fills a page of entries with "not valid" (0x7f).
func (m *multiLevel) clearPage(frame int) {
	for i := range mlPageSize {
		m.mem[frame<<mlPageBits+i] = mlInvalid
	}
}

// walkStep is one level of a walk: the index used, the entry's address
// and what it holds.
type walkStep struct {
	index, addr int
	entry       byte
}

func (s walkStep) valid() bool { return s.entry&mlValid != 0 }
func (s walkStep) frame() int  { return int(s.entry &^ mlValid) }

// pde reads the directory entry of va.
func (m *multiLevel) pde(va int) walkStep {
	i := (va & mlPDEMask) >> 10
	a := m.pdbr<<mlPageBits | i
	return walkStep{i, a, m.mem[a]}
}

// pte reads the table entry of va in the table at frame.
func (m *multiLevel) pte(va, frame int) walkStep {
	i := (va & mlPTEMask) >> mlPageBits
	a := frame<<mlPageBits | i
	return walkStep{i, a, m.mem[a]}
}

// mapPage maps virtual page vp to frame pp, making the page of the page
// table on the way when the directory has none.
func (m *multiLevel) mapPage(vp, pp int) error {
	va := vp << mlPageBits
	d := m.pde(va)
	table := d.frame()
	if !d.valid() {
		f, err := m.findFree()
		if err != nil {
			return err
		}
		m.mem[d.addr] = mlValid | byte(f)
		m.clearPage(f)
		table = f
	}
	m.mem[m.pte(va, table).addr] = mlValid | byte(pp)
	return nil
}

// alloc is the script's procAlloc: a page directory, then n random
// virtual pages, each mapped to a random frame filled with random bytes.
func (m *multiLevel) alloc(n int64) ([]int, error) {
	var err error
	if m.pdbr, err = m.findFree(); err != nil {
		return nil, err
	}
	m.clearPage(m.pdbr)
	var taken [mlVAPages]bool
	var vps []int
	for range n {
		vp := int(m.r.Random() * mlVAPages)
		for taken[vp] {
			vp = int(m.r.Random() * mlVAPages)
		}
		taken[vp] = true
		vps = append(vps, vp)
		pp, err := m.findFree()
		if err != nil {
			return nil, err
		}
		if err := m.mapPage(vp, pp); err != nil {
			return nil, err
		}
		for j := range mlPageSize {
			m.mem[pp*mlPageSize+j] = byte(m.r.Random() * 31)
		}
	}
	return vps, nil
}

// translate walks the two levels for va, printing each step as the
// script does, and returns the answer's line.
func (m *multiLevel) translate(out io.Writer, va int) string {
	d := m.pde(va)
	fmt.Fprintf(out, "  --> pde index:0x%x [decimal %d] pde contents:0x%x (valid %d, pfn 0x%02x [decimal %d])\n",
		d.index, d.index, d.entry, d.entry>>7, d.frame(), d.frame())
	if !d.valid() {
		return "Fault (page directory entry not valid)"
	}
	t := m.pte(va, d.frame())
	fmt.Fprintf(out, "    --> pte index:0x%x [decimal %d] pte contents:0x%x (valid %d, pfn 0x%02x [decimal %d])\n",
		t.index, t.index, t.entry, t.entry>>7, t.frame(), t.frame())
	if !t.valid() {
		return "Fault (page table entry not valid)"
	}
	pa := t.frame()<<mlPageBits | va&mlOffMask
	return fmt.Sprintf("Translates to Physical Address 0x%03x --> Value: 0x%02x", pa, m.mem[pa])
}

// PagingMulti is vm-smalltables/paging-multilevel-translate.py: a process
// with a two-level page table in a small physical memory, the memory
// dumped, and virtual addresses to translate by walking the tables.
func PagingMulti(args []string, out, errw io.Writer) int {
	const prog = "paging-multilevel-translate.py"
	v, status, done := osteptool.Parse(pagingMultiParser, args, out, errw)
	if done {
		return status
	}
	fmt.Fprintf(out, "ARG seed %d\nARG allocated %d\nARG num %d\n\n", v.Int("seed"), v.Int("allocated"), v.Int("num"))
	m := &multiLevel{r: pyrand.New(v.Int("seed"))}
	used, err := m.alloc(v.Int("allocated"))
	if err != nil {
		return osteptool.Traceback(errw, prog, err)
	}
	for p := range mlPhysPages {
		fmt.Fprintf(out, "page %3d:", p)
		for _, b := range m.mem[p*mlPageSize : (p+1)*mlPageSize] {
			fmt.Fprintf(out, "%02x", b)
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintf(out, "\nPDBR: %d  (decimal) [This means the page directory is held in this page]\n\n", m.pdbr)
	for i := range v.Int("num") {
		var va int
		if m.r.Random()*100 > 50.0 || i >= int64(len(used)) {
			va = int(m.r.Random() * 1024 * 32)
		} else {
			va = used[i]<<5 | int(m.r.Random()*32)
		}
		if !v.Bool("solve") {
			fmt.Fprintf(out, "Virtual Address %04x: Translates To What Physical Address (And Fetches what Value)? Or Fault?\n", va)
			continue
		}
		fmt.Fprintf(out, "Virtual Address 0x%04x:\n", va)
		fmt.Fprintf(out, "      --> %s\n", m.translate(out, va))
	}
	fmt.Fprintln(out)
	return 0
}
