package kernel

import (
	"github.com/mkos/mkos/ipc"
)

// The MMU: simulated physical memory, per-task two-level page tables and
// per-CPU TLBs. LECTURE: mmu
//
// Page-table format (i386-style, 32-bit virtual addresses):
//
//	31          22 21          12 11           0
//	+-------------+--------------+--------------+
//	| dir index   | table index  | page offset  |
//	+-------------+--------------+--------------+
//
// A task's page directory has 1024 entries, each pointing to a page table
// of 1024 entries (allocated on first use). An entry (PTE) holds the frame
// number in bits 31..12 and flags in bits 11..0: present (bit 0), writable
// (bit 1), user (bit 2), accessed (bit 5, set by every access), dirty
// (bit 6, set by every write). The kernel keeps the tables; the memory
// manager decides what goes in them (Sys.VM).
//
// The mechanism is in the kernel and the policy in mm, as in L4 and Mach:
// the kernel never chooses a victim page or reads a disk.

// MemConfig sizes the memory system.
type MemConfig struct {
	// Frames is the number of physical frames of ipc.PageSize bytes
	// (default 1024: 4 MiB).
	Frames int
	// TLBEntries is the size of each CPU's TLB (default 16; negative: no
	// TLB, every access walks the page table).
	TLBEntries int
	// TLBTagged tags TLB entries with the address space, so a context
	// switch keeps them; untagged, every switch flushes the TLB.
	TLBTagged bool
}

const (
	pteFrameShift = 12
	entries       = 1024
	maxFrames     = 1 << 20
)

// pageTable is one second-level table.
type pageTable [entries]uint32

// addrSpace is a task's page directory.
type addrSpace struct {
	dir      [entries]*pageTable
	resident int
}

// entry returns the PTE for va, creating its page table if create.
func (as *addrSpace) entry(va uint64, create bool) *uint32 {
	d := va >> 22 & (entries - 1)
	pt := as.dir[d]
	if pt == nil {
		if !create {
			return nil
		}
		pt = new(pageTable)
		as.dir[d] = pt
	}
	return &pt[va>>12&(entries-1)]
}

// physMem is physical memory: frames and the frame table.
type physMem struct {
	frames [][]byte // allocated on first use
	refs   []int32  // page-table entries pointing at the frame
	used   []bool
	last   []ipc.Endpoint // the last task that mapped it
	lastVA []uint64       // ... and where
	free   []uint32       // free frames, lowest number on top

	// Who may hold each frame (mmu_owner.go): the task it belongs to (0
	// while the pager holds it, mapped nowhere), and the name it is
	// shared under (0: private).
	holder []ipc.Endpoint
	share  []uint64
}

func newPhysMem(n int) physMem {
	m := physMem{frames: make([][]byte, n), refs: make([]int32, n), used: make([]bool, n),
		last: make([]ipc.Endpoint, n), lastVA: make([]uint64, n), free: make([]uint32, n),
		holder: make([]ipc.Endpoint, n), share: make([]uint64, n)}
	for i := range m.free {
		m.free[i] = uint32(n - 1 - i)
	}
	return m
}

// alloc returns a zeroed free frame.
func (m *physMem) alloc() (uint32, bool) {
	if len(m.free) == 0 {
		return 0, false
	}
	f := m.free[len(m.free)-1]
	m.free = m.free[:len(m.free)-1]
	if m.frames[f] == nil {
		m.frames[f] = make([]byte, ipc.PageSize)
	} else {
		clear(m.frames[f])
	}
	m.used[f] = true
	return f, true
}

// release frees frame f, which no entry maps any more.
func (m *physMem) release(f uint32) {
	m.used[f], m.refs[f], m.last[f], m.lastVA[f] = false, 0, 0, 0
	m.holder[f], m.share[f] = 0, 0
	m.free = append(m.free, f)
}

// taskMem is a task's memory state, allocated when it first touches memory
// or is mapped.
type taskMem struct {
	as     addrSpace
	stats  ipc.MemStats
	grants grantTable
	fault  struct{ msg, rep ipc.Message } // the PageFault call in progress
	faults []*faultWait                   // faults in progress in this space (mmu_owner.go)
	wait   faultWait                      // the fault this task waits for, in some space's faults

	// unresolved counts the faults in a row at one page (of owner's space)
	// that the pager said it resolved without mapping (mmu_owner.go).
	unresolved struct {
		owner ipc.Endpoint
		vpn   uint64
		n     int
	}
}

// mem returns t's memory state, creating it.
func (t *Task) memory() *taskMem {
	if t.mem == nil {
		t.mem = new(taskMem)
	}
	return t.mem
}

// tlbEntry caches a translation: the PTE itself is pointed at, so the
// accessed and dirty bits set on a hit land in the page table.
type tlbEntry struct {
	tag  ipc.Endpoint
	vpn  uint64
	pte  *uint32
	used uint64
}

// tlb is one CPU's TLB: fully associative, least recently used replaced.
type tlb struct {
	e       []tlbEntry
	live    int
	clock   uint64
	flushes int64
}

func (b *tlb) lookup(tag ipc.Endpoint, vpn uint64) *uint32 {
	for i := range b.e {
		x := &b.e[i]
		if x.pte != nil && x.vpn == vpn && x.tag == tag {
			b.clock++
			x.used = b.clock
			return x.pte
		}
	}
	return nil
}

func (b *tlb) insert(tag ipc.Endpoint, vpn uint64, pte *uint32) {
	if len(b.e) == 0 {
		return
	}
	v := 0
	for i := range b.e {
		if b.e[i].pte == nil {
			v = i
			break
		}
		if b.e[i].used < b.e[v].used {
			v = i
		}
	}
	if b.e[v].pte == nil {
		b.live++
	}
	b.clock++
	b.e[v] = tlbEntry{tag: tag, vpn: vpn, pte: pte, used: b.clock}
}

// flush empties the TLB.
func (b *tlb) flush() {
	if b.live == 0 {
		return
	}
	clear(b.e)
	b.live = 0
	b.flushes++
}

// shootdown drops the entry for (tag, vpn), or every entry of tag when
// all is set.
func (b *tlb) shootdown(tag ipc.Endpoint, vpn uint64, all bool) {
	if b.live == 0 {
		return
	}
	for i := range b.e {
		x := &b.e[i]
		if x.pte != nil && x.tag == tag && (all || x.vpn == vpn) {
			*x = tlbEntry{}
			b.live--
		}
	}
}

// shootdown drops (tag, vpn) from every CPU's TLB: a mapping changed.
func (k *Kernel) shootdown(tag ipc.Endpoint, vpn uint64, all bool) {
	for _, c := range k.cpus {
		c.tlb.shootdown(tag, vpn, all)
	}
}

// freeMemory unmaps everything dead task t mapped and frees the frames no
// one else maps.
func (k *Kernel) freeMemory(t *Task) {
	if t.mem == nil {
		return
	}
	for _, pt := range t.mem.as.dir {
		if pt == nil {
			continue
		}
		for i, pte := range pt {
			if pte&ipc.PTEPresent != 0 {
				k.unref(pte >> pteFrameShift)
				pt[i] = 0
			}
		}
	}
	k.shootdown(t.ep, 0, true)
	t.mem = nil
}

// unref drops one mapping of frame f, freeing it when none is left.
func (k *Kernel) unref(f uint32) {
	m := &k.mem
	m.refs[f]--
	if m.refs[f] <= 0 {
		m.release(f)
	}
}
