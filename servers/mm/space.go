package mm

import (
	"sort"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
)

// Address spaces as mm sees them: each task's regions (its heap and its
// mappings), and the state of every page it has touched. The page tables
// themselves are the kernel's; mm only fills them (fault.go).

// space is one task's address space.
type space struct {
	task    ipc.Endpoint
	brk     uint64           // the heap's end (byte address)
	regions []*region        // sorted by start, never overlapping
	pages   map[uint64]*page // private pages touched, by VPN
	count   taskCount        // the faults served for the task
}

// taskCount is what mm did for one task (mmproto.TaskStats).
type taskCount struct {
	Minor int64 `json:"minor,omitempty"`
	Major int64 `json:"major,omitempty"`
	Segv  int64 `json:"segv,omitempty"`
}

// region is a range of pages with one protection and one backing. The
// heap is one region or more (mprotect cuts it), all marked heap, from
// HeapBase up without a gap; the first one is never removed.
type region struct {
	start, end uint64 // page-aligned, end exclusive
	prot       ipc.Prot
	heap       bool
	obj        *object  // shared backing; nil for private memory
	objPage    uint64   // the object's page index at start
	file       *fileRef // a private file mapping's file: pages not yet written are read from it
	filePage   uint64   // ... and the file's page index at start
	noWrite    bool     // never writable: a shared mapping of a file opened read-only, or of a segment the task may only read
}

// page is the state of one page that was touched: resident in a frame,
// or in a swap slot, or both (a clean page swapped in keeps its copy).
type page struct {
	frame    uint32
	resident bool
	slot     int64 // swap slot, -1 for none
	lost     bool  // its swap copy died with a memory swap (restart)
	dirty    bool  // written through a page-table entry that is gone (its dirty bit went with it)
}

// object is the backing of a shared mapping: pages that every task
// mapping the same id sees. A shared file mapping's object is the file's
// (file set, id fileObjects|inode): its page index is the page's index
// in the file.
type object struct {
	id     uint64
	npages uint64
	pages  map[uint64]*page     // by page index
	users  map[ipc.Endpoint]int // tasks mapping it, and how many regions each
	file   *fileRef
	perm   shmPerm // a shared anonymous segment's owner and mode (shm.go)
}

// sharedSpace marks a Page.Space that names a shared object, not a task.
const sharedSpace = 1 << 62

// fileObjects marks the id of a shared file mapping's object; the ids of
// shared anonymous mappings are below it (mmproto.MaxShareID).
const fileObjects = mmproto.MaxShareID

func pageDown(va uint64) uint64 { return va &^ (ipc.PageSize - 1) }
func pageUp(va uint64) uint64   { return (va + ipc.PageSize - 1) &^ (ipc.PageSize - 1) }

// space returns task's address space, creating it.
func (s *Server) space(task ipc.Endpoint) *space {
	sp := s.spaces[task]
	if sp == nil {
		sp = &space{task: task, brk: mmproto.HeapBase, pages: map[uint64]*page{}}
		sp.regions = []*region{{start: mmproto.HeapBase, end: mmproto.HeapBase, prot: ipc.ProtRead | ipc.ProtWrite, heap: true}}
		s.spaces[task] = sp
	}
	return sp
}

// find returns the region holding va, or nil.
func (sp *space) find(va uint64) *region {
	i := sort.Search(len(sp.regions), func(i int) bool { return sp.regions[i].end > va })
	if i < len(sp.regions) && sp.regions[i].start <= va {
		return sp.regions[i]
	}
	return nil
}

// free reports whether [start, end) overlaps no region and lies inside
// the usable address space (page 0 is never mapped).
func (sp *space) free(start, end uint64) bool {
	if start < ipc.PageSize || end > ipc.VALimit || start >= end {
		return false
	}
	for _, r := range sp.regions {
		if r.start < end && start < r.end {
			return false
		}
	}
	return true
}

// place finds room for length bytes: at hint if free, else the first gap
// from MmapBase up.
func (sp *space) place(hint, length uint64, fixed bool) (uint64, bool) {
	if hint != 0 && hint == pageDown(hint) && hint <= ipc.VALimit-length && sp.free(hint, hint+length) {
		return hint, true
	}
	if fixed {
		return 0, false
	}
	at := mmproto.MmapBase
	for _, r := range sp.regions {
		if r.end <= at {
			continue
		}
		if r.start >= at+length {
			break
		}
		at = r.end
	}
	return at, at+length <= ipc.VALimit
}

// insert adds r in order, after a region with the same start (only the
// empty heap can have one), so that the ends stay in order too.
func (sp *space) insert(r *region) {
	i := sort.Search(len(sp.regions), func(i int) bool { return sp.regions[i].start > r.start })
	sp.regions = append(sp.regions, nil)
	copy(sp.regions[i+1:], sp.regions[i:])
	sp.regions[i] = r
}

// split cuts the regions so that start and end fall on region edges, and
// returns the regions inside [start, end). The heap is left whole and out
// of the result unless heapToo (mprotect may cut it; munmap may not).
func (sp *space) split(start, end uint64, heapToo bool) []*region {
	var out []*region
	var rs []*region
	for _, r := range sp.regions {
		if r.heap && !heapToo || r.end <= start || r.start >= end {
			rs = append(rs, r)
			continue
		}
		if r.start < start {
			rs = append(rs, r.cut(r.start, start))
		}
		mid := r.cut(max(r.start, start), min(r.end, end))
		rs = append(rs, mid)
		out = append(out, mid)
		if r.end > end {
			rs = append(rs, r.cut(end, r.end))
		}
	}
	sp.regions = rs
	return out
}

// cut returns the part [a, b) of r.
func (r *region) cut(a, b uint64) *region {
	c := *r
	c.start, c.end = a, b
	if r.obj != nil {
		c.objPage = r.objPage + (a-r.start)/ipc.PageSize
	}
	if r.file != nil {
		c.filePage = r.filePage + (a-r.start)/ipc.PageSize
	}
	return &c
}

// key returns the policy's name for the page at va of region r in sp.
func (sp *space) key(r *region, va uint64) Page {
	if r.obj != nil {
		return Page{Space: sharedSpace | r.obj.id, VPN: r.objPage + (va-r.start)/ipc.PageSize}
	}
	return Page{Space: uint64(sp.task), VPN: va / ipc.PageSize}
}

// pageFor returns the state of the page at va in r, creating it.
func (sp *space) pageFor(r *region, va uint64) *page {
	m, k := sp.pages, va/ipc.PageSize
	if r.obj != nil {
		m, k = r.obj.pages, r.objPage+(va-r.start)/ipc.PageSize
	}
	pg := m[k]
	if pg == nil {
		pg = &page{slot: -1}
		m[k] = pg
	}
	return pg
}

// target is one page-table entry that maps a resident page.
type target struct {
	task ipc.Endpoint
	va   uint64
}

// targets returns where the page named key is mapped (or would be).
func (s *Server) targets(key Page) []target {
	if key.Space&sharedSpace == 0 {
		return []target{{ipc.Endpoint(key.Space), key.VPN * ipc.PageSize}}
	}
	o := s.shared[key.Space&^sharedSpace]
	if o == nil {
		return nil
	}
	var out []target
	for _, task := range sortedTasks(o.users) {
		sp := s.spaces[task]
		if sp == nil {
			continue
		}
		for _, r := range sp.regions {
			if va, ok := r.vaOf(o, key.VPN); ok {
				out = append(out, target{task, va})
			}
		}
	}
	return out
}

// vaOf returns where r maps page idx of o.
func (r *region) vaOf(o *object, idx uint64) (uint64, bool) {
	if r.obj != o || idx < r.objPage || idx >= r.objPage+(r.end-r.start)/ipc.PageSize {
		return 0, false
	}
	return r.start + (idx-r.objPage)*ipc.PageSize, true
}

// sortedTasks returns the keys of m in order: mm's loops over maps must
// not depend on Go's map order, or runs would not repeat.
func sortedTasks[V any](m map[ipc.Endpoint]V) []ipc.Endpoint {
	out := make([]ipc.Endpoint, 0, len(m))
	for t := range m {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// touched returns the keys of the pages of r that were ever touched, in
// address order.
func (sp *space) touched(r *region) []Page {
	var out []Page
	if r.obj != nil {
		n := (r.end - r.start) / ipc.PageSize
		for idx := range r.obj.pages {
			if idx >= r.objPage && idx < r.objPage+n {
				out = append(out, Page{Space: sharedSpace | r.obj.id, VPN: idx})
			}
		}
	} else {
		for vpn := range sp.pages {
			if va := vpn * ipc.PageSize; va >= r.start && va < r.end {
				out = append(out, Page{Space: uint64(sp.task), VPN: vpn})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].VPN < out[j].VPN })
	return out
}

// pageOf returns the state of the page named key, or nil.
func (s *Server) pageOf(key Page) *page {
	if key.Space&sharedSpace != 0 {
		if o := s.shared[key.Space&^sharedSpace]; o != nil {
			return o.pages[key.VPN]
		}
		return nil
	}
	if sp := s.spaces[ipc.Endpoint(key.Space)]; sp != nil {
		return sp.pages[key.VPN]
	}
	return nil
}
