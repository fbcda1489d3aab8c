package ostepvm

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// mallocParser is malloc.py's command line.
var mallocParser = &optparse.Parser{Prog: "malloc.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "the random seed"},
	{Short: "-S", Long: "--size", Dest: "heapSize", Kind: optparse.IntKind, Default: "100", Help: "size of the heap"},
	{Short: "-b", Long: "--baseAddr", Dest: "baseAddr", Kind: optparse.IntKind, Default: "1000", Help: "base address of heap"},
	{Short: "-H", Long: "--headerSize", Dest: "headerSize", Kind: optparse.IntKind, Default: "0", Help: "size of the header"},
	{Short: "-a", Long: "--alignment", Dest: "alignment", Kind: optparse.IntKind, Default: "-1", Help: "align allocated units to size; -1->no align"},
	{Short: "-p", Long: "--policy", Dest: "policy", Default: "BEST", Help: "list search (BEST, WORST, FIRST)"},
	{Short: "-l", Long: "--listOrder", Dest: "order", Default: "ADDRSORT", Help: "list order (ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT, INSERT-BACK)"},
	{Short: "-C", Long: "--coalesce", Dest: "coalesce", Kind: optparse.True, Default: "False", Help: "coalesce the free list?"},
	{Short: "-n", Long: "--numOps", Dest: "opsNum", Kind: optparse.IntKind, Default: "10", Help: "number of random ops to generate"},
	{Short: "-r", Long: "--range", Dest: "opsRange", Kind: optparse.IntKind, Default: "10", Help: "max alloc size"},
	{Short: "-P", Long: "--percentAlloc", Dest: "opsPAlloc", Kind: optparse.IntKind, Default: "50", Help: "percent of ops that are allocs"},
	{Short: "-A", Long: "--allocList", Dest: "opsList", Default: "", Help: "instead of random, list of ops (+10,-0,etc)"},
	{Short: "-c", Long: "--compute", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
}}

// span is a free chunk: its address and size.
type span struct{ addr, size int64 }

// heap is malloc.py's allocator: a free list searched by policy and kept
// in order, and the sizes of the chunks handed out.
type heap struct {
	free          []span
	sizes         map[int64]int64
	size, header  int64
	align         int64
	policy, order string
	coalesce      bool
}

// alloc is malloc(): the chunk's address and how many free-list entries
// were searched; -1 when none fits.
func (h *heap) alloc(size int64) (int64, int) {
	if h.align != -1 && h.align != 0 {
		if left := size % h.align; left != 0 {
			size += h.align - left
		}
	}
	size += h.header
	best, bestSize := -1, int64(-1)
	if h.policy == "BEST" {
		bestSize = h.size + 1
	}
	count := 0
	for i, e := range h.free {
		count++
		if e.size >= size && ((h.policy == "BEST" && e.size < bestSize) || (h.policy == "WORST" && e.size > bestSize) || h.policy == "FIRST") {
			best, bestSize = i, e.size
			if h.policy == "FIRST" {
				break
			}
		}
	}
	if best == -1 {
		return -1, count
	}
	addr := h.free[best].addr
	if bestSize > size {
		h.free[best] = span{addr + size, bestSize - size}
	} else {
		h.free = append(h.free[:best], h.free[best+1:]...)
	}
	h.sizes[addr] = size
	return addr, count
}

// release is free(): 0, or -1 for an address not handed out.
func (h *heap) release(addr int64) int {
	size, ok := h.sizes[addr]
	if !ok {
		return -1
	}
	e := span{addr, size}
	switch h.order {
	case "INSERT-FRONT":
		h.free = append([]span{e}, h.free...)
	default:
		h.free = append(h.free, e)
	}
	switch h.order {
	case "ADDRSORT":
		sort.SliceStable(h.free, func(i, j int) bool { return h.free[i].addr < h.free[j].addr })
	case "SIZESORT+":
		sort.SliceStable(h.free, func(i, j int) bool { return h.free[i].size < h.free[j].size })
	case "SIZESORT-":
		sort.SliceStable(h.free, func(i, j int) bool { return h.free[i].size > h.free[j].size })
	}
	if h.coalesce {
		merged := []span{}
		cur := h.free[0]
		for _, e := range h.free[1:] {
			if e.addr == cur.addr+cur.size {
				cur.size += e.size
			} else {
				merged = append(merged, cur)
				cur = e
			}
		}
		h.free = append(merged, cur)
	}
	delete(h.sizes, addr)
	return 0
}

func (h *heap) dump(out io.Writer) {
	fmt.Fprintf(out, "Free List [ Size %d ]: ", len(h.free))
	for _, e := range h.free {
		fmt.Fprintf(out, "[ addr:%d sz:%d ]", e.addr, e.size)
	}
	fmt.Fprintln(out)
}

// Malloc is vm-freespace/malloc.py: allocations and frees on a free list,
// with the chosen search policy, list order and coalescing.
func Malloc(args []string, out, errw io.Writer) int {
	v, status, done := osteptool.Parse(mallocParser, args, out, errw)
	if done {
		return status
	}
	if msg := heapAssert(v.Str("policy"), v.Str("order"), v.Int("alignment")); msg != "" {
		return osteptool.Traceback(errw, "malloc.py", osteptool.PyError(msg))
	}
	h := &heap{free: []span{{v.Int("baseAddr"), v.Int("heapSize")}}, sizes: map[int64]int64{}, size: v.Int("heapSize"),
		header: v.Int("headerSize"), align: v.Int("alignment"), policy: v.Str("policy"), order: v.Str("order"), coalesce: v.Bool("coalesce")}
	for _, kv := range [][2]string{{"seed", fmt.Sprint(v.Int("seed"))}, {"size", fmt.Sprint(h.size)}, {"baseAddr", fmt.Sprint(v.Int("baseAddr"))},
		{"headerSize", fmt.Sprint(h.header)}, {"alignment", fmt.Sprint(h.align)}, {"policy", h.policy}, {"listOrder", h.order},
		{"coalesce", osteptool.PyBool(h.coalesce)}, {"numOps", fmt.Sprint(v.Int("opsNum"))}, {"range", fmt.Sprint(v.Int("opsRange"))},
		{"percentAlloc", fmt.Sprint(v.Int("opsPAlloc"))}, {"allocList", v.Str("opsList")}, {"compute", osteptool.PyBool(v.Bool("solve"))}} {
		fmt.Fprintf(out, "%s %s\n", kv[0], kv[1])
	}
	fmt.Fprintln(out)
	percent := float64(v.Int("opsPAlloc")) / 100.0
	if percent <= 0 {
		return osteptool.Traceback(errw, "malloc.py", osteptool.PyError("AssertionError"))
	}
	m := &mallocRun{h: h, out: out, solve: v.Bool("solve"), ptrs: map[int]int64{}}
	if v.Str("opsList") == "" {
		return m.random(pyrand.New(v.Int("seed")), percent, v.Int("opsNum"), v.Int("opsRange"))
	}
	return m.list(v.Str("opsList"), errw)
}

// heapAssert is the AssertionError of the script's allocator for a bad
// policy, list order or alignment, or "".
func heapAssert(policy, order string, align int64) string {
	switch {
	case policy != "BEST" && policy != "WORST" && policy != "FIRST":
	case order != "ADDRSORT" && order != "SIZESORT+" && order != "SIZESORT-" && order != "INSERT-FRONT" && order != "INSERT-BACK":
	case align != -1 && align <= 0:
	default:
		return ""
	}
	return "AssertionError"
}

// mallocRun is one run's pointers and output.
type mallocRun struct {
	h     *heap
	out   io.Writer
	solve bool
	ptrs  map[int]int64 // ptr[i] of the successful allocations
	live  []int         // the live pointers' indices, in allocation order
}

// random draws -n operations: an allocation with chance -P, else a free
// of a random live pointer (a free with none live is no operation).
func (m *mallocRun) random(r *pyrand.Rand, percent float64, n, rng int64) int {
	c := 0
	for j := int64(0); j < n; {
		if r.Random() < percent {
			size := int64(r.Random()*float64(rng)) + 1
			ptr, cnt := m.h.alloc(size)
			if ptr != -1 {
				m.ptrs[c] = ptr
				m.live = append(m.live, c)
			}
			fmt.Fprintf(m.out, "ptr[%d] = Alloc(%d)", c, size)
			m.answer(fmt.Sprintf(" returned %d (searched %d elements)", ptr+m.h.header, cnt), " returned ?")
			c++
			j++
		} else if len(m.ptrs) > 0 {
			d := int(r.Random() * float64(len(m.live)))
			idx := m.live[d]
			rc := m.h.release(m.ptrs[idx])
			fmt.Fprintf(m.out, "Free(ptr[%d])\n", idx)
			m.answer(fmt.Sprintf("returned %d", rc), "returned ?")
			delete(m.ptrs, idx)
			m.live = append(m.live[:d], m.live[d+1:]...)
			j++
		} else {
			continue
		}
		m.showList("List? ")
	}
	return 0
}

// list runs -A: +SIZE allocates, -INDEX frees ptr[INDEX].
func (m *mallocRun) list(ops string, errw io.Writer) int {
	c := 0
	for _, op := range strings.Split(ops, ",") {
		if op == "" {
			return osteptool.Traceback(errw, "malloc.py", osteptool.PyError("IndexError: string index out of range"))
		}
		switch op[0] {
		case '+':
			size, ok := optparse.Int(strings.Split(op, "+")[1])
			if !ok {
				return osteptool.Traceback(errw, "malloc.py", osteptool.IntError(strings.Split(op, "+")[1]))
			}
			ptr, cnt := m.h.alloc(size)
			if ptr != -1 {
				m.ptrs[c] = ptr
			}
			fmt.Fprintf(m.out, "ptr[%d] = Alloc(%d)", c, size)
			m.answer(fmt.Sprintf(" returned %d (searched %d elements)", ptr, cnt), " returned ?")
			c++
		case '-':
			index, ok := optparse.Int(strings.Split(op, "-")[1])
			if !ok {
				return osteptool.Traceback(errw, "malloc.py", osteptool.IntError(strings.Split(op, "-")[1]))
			}
			if index >= int64(len(m.ptrs)) {
				fmt.Fprintln(m.out, "Invalid Free: Skipping")
				continue
			}
			ptr, ok := m.ptrs[int(index)]
			if !ok {
				return osteptool.Traceback(errw, "malloc.py", osteptool.PyError(fmt.Sprintf("KeyError: %d", index)))
			}
			fmt.Fprintf(m.out, "Free(ptr[%d])\n", index)
			m.answer(fmt.Sprintf("returned %d", m.h.release(ptr)), "returned ?")
		default:
			// The script calls abort(), which it never defines.
			return osteptool.Traceback(errw, "malloc.py", osteptool.PyError("NameError: name 'abort' is not defined"))
		}
		m.showList("List?")
	}
	return 0
}

// answer ends an operation's line: the answer with -c, else the
// question.
func (m *mallocRun) answer(a, question string) {
	if m.solve {
		fmt.Fprintln(m.out, a)
	} else {
		fmt.Fprintln(m.out, question)
	}
}

// showList prints the free list (-c) or asks the question (the script
// asks "List? " after a random operation, "List?" after a listed one),
// then a blank line.
func (m *mallocRun) showList(question string) {
	if m.solve {
		m.h.dump(m.out)
	} else {
		fmt.Fprintln(m.out, question)
	}
	fmt.Fprintln(m.out)
}
