package mm

import (
	"encoding/binary"
	"encoding/json"
	"sort"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
)

// Start-up, restart and the stash. LECTURE: pager-restart
//
// The page tables live in the kernel, so a crash of mm loses no mapping:
// tasks keep running on the pages they have. What dies with mm is what
// only mm knew: the regions (which addresses are valid, with what
// protection), which swap slot holds which page, and the policy's order.
//
// mm keeps the first two in a stash: frames it allocates and maps
// nowhere, which the kernel keeps across an instance's death (a frame is
// freed when its last mapping goes, and these never had one). The stash
// is a header frame, the regions as JSON in the frames after it (rewritten
// by every request that changes a region), and a slot table: one 16-byte
// record per swap slot naming the page it holds, written as the slot is
// taken or given back, so a swap-out costs one small frame write.
//
// A starting mm asks the kernel for the frame table (VMFrames): empty
// means a fresh start; otherwise it finds the newest stash by its magic
// among the unmapped frames, restores regions and swap slots from it, and
// rebuilds the policy from the mapped frames, in frame order (the old
// order is lost: a restarted LRU begins as FIFO). With no stash, each
// mapped page becomes a one-page region with the protection of its entry.
// mm's counters come back as of the last region change.

// stashMagic starts the stash's header frame.
var stashMagic = [8]byte{'m', 'k', 'o', 's', '-', 'm', 'm', 2}

// Header layout: magic, generation, JSON length, CRC-32 of the JSON, the
// number of JSON frames, of slot-table frames, then their frame numbers.
const (
	stashHeader    = 40
	maxStashFrames = (ipc.PageSize - stashHeader) / 4
	slotRecord     = 16
	slotsPerFrame  = ipc.PageSize / slotRecord
)

// stash is where mm's state is kept.
type stash struct {
	header uint32
	json   []uint32
	table  []uint32
	gen    uint64
}

// snapshot is the JSON part of the stash.
type snapshot struct {
	Spaces   []snapSpace   `json:"spaces"`
	Objects  []snapObject  `json:"objects"`
	SwapKind string        `json:"swap_kind"`
	Stats    mmproto.Stats `json:"stats"`
}

type snapSpace struct {
	Task    ipc.Endpoint `json:"task"`
	Brk     uint64       `json:"brk"`
	Regions []snapRegion `json:"regions"`
	Count   taskCount    `json:"count"`
}

type snapRegion struct {
	Start, End uint64
	Prot       ipc.Prot
	Heap       bool
	Obj        int64 // shared object id, -1 for none
	ObjPage    uint64
	File       *snapFile `json:",omitempty"` // a private file mapping's file
	FilePage   uint64    `json:",omitempty"`
	NoWrite    bool      `json:",omitempty"`
}

type snapObject struct {
	ID     uint64               `json:"id"`
	NPages uint64               `json:"npages"`
	Users  map[ipc.Endpoint]int `json:"users"`
	File   *snapFile            `json:"file,omitempty"`
	Perm   *shmPerm             `json:"perm,omitempty"` // a shared anonymous segment's
}

// snapFile is a fileRef: enough to open the file again.
type snapFile struct {
	Path  string `json:"path"`
	Ino   uint64 `json:"ino"`
	Write bool   `json:"write"`
}

func snapFileOf(f *fileRef) *snapFile {
	if f == nil {
		return nil
	}
	return &snapFile{Path: f.path, Ino: f.ino, Write: f.write}
}

// fileOf returns the fileRef a stash names, sharing it as mapFile does.
func (s *Server) fileOf(sf *snapFile) *fileRef {
	if sf == nil {
		return nil
	}
	key := fileKey{sf.Ino, sf.Write}
	f := s.files[key]
	if f == nil {
		f = &fileRef{path: sf.Path, ino: sf.Ino, write: sf.Write}
		s.files[key] = f
	}
	return f
}

// start runs once, before the first request: a fresh start, or a restart
// when the kernel's frame table is not empty.
func (s *Server) start(sys ipc.Sys) {
	if s.started {
		return
	}
	s.started = true
	defer s.takeOver()
	req := ipc.VMRequest{Op: ipc.VMFrames}
	if sys.VM(&req) != nil || len(req.Frames) == 0 {
		return
	}
	s.restart(sys, req.Frames)
}

// restart rebuilds mm's state from the stash and the frame table.
func (s *Server) restart(sys ipc.Sys, frames []ipc.FrameInfo) {
	if snap, table := s.findStash(sys, frames); snap != nil {
		s.restore(sys, snap, table)
	}
	for _, fi := range frames {
		if fi.Mappings > 0 {
			s.adopt(sys, fi)
		}
	}
}

// findStash returns the newest good stash among the unmapped frames, keeps
// its frames and frees every other unmapped frame (one an instance
// allocated and died before mapping).
func (s *Server) findStash(sys ipc.Sys, frames []ipc.FrameInfo) (*snapshot, []byte) {
	var best *snapshot
	var table []byte
	var unmapped []uint32
	for _, fi := range frames {
		if fi.Mappings != 0 {
			continue
		}
		unmapped = append(unmapped, fi.Frame)
		st, data, tab, ok := readStash(sys, fi.Frame)
		if !ok || (best != nil && st.gen <= s.stash.gen) {
			continue
		}
		var snap snapshot
		if json.Unmarshal(data, &snap) == nil {
			best, table, s.stash = &snap, tab, st
		}
	}
	keep := map[uint32]bool{}
	if best != nil {
		keep[s.stash.header] = true
		for _, f := range append(append([]uint32{}, s.stash.json...), s.stash.table...) {
			keep[f] = true
		}
	}
	for _, f := range unmapped {
		if !keep[f] {
			free(sys, f)
		}
	}
	return best, table
}

// restore installs a stash: the regions, then the swap slots. Slots of a
// memory swap died with the old instance: their pages are lost, and the
// table starts over.
func (s *Server) restore(sys ipc.Sys, snap *snapshot, table []byte) {
	s.stats = snap.Stats
	for _, so := range snap.Objects {
		o := &object{id: so.ID, npages: so.NPages, pages: map[uint64]*page{}, users: so.Users, file: s.fileOf(so.File)}
		if so.Perm != nil {
			o.perm = *so.Perm
		}
		if o.users == nil {
			o.users = map[ipc.Endpoint]int{}
		}
		s.shared[so.ID] = o
	}
	for _, ss := range snap.Spaces {
		sp := &space{task: ss.Task, brk: ss.Brk, pages: map[uint64]*page{}, count: ss.Count}
		for _, sr := range ss.Regions {
			r := &region{start: sr.Start, end: sr.End, prot: sr.Prot, heap: sr.Heap, objPage: sr.ObjPage,
				file: s.fileOf(sr.File), filePage: sr.FilePage, noWrite: sr.NoWrite}
			if sr.Obj >= 0 {
				r.obj = s.shared[uint64(sr.Obj)]
			}
			sp.regions = append(sp.regions, r)
		}
		s.spaces[ss.Task] = sp
	}
	lost := snap.SwapKind == "memory" && !s.keepsMemorySwap()
	used := int64(-1)
	for slot := int64(0); int(slot+1)*slotRecord <= len(table); slot++ {
		rec := table[slot*slotRecord:]
		key := Page{Space: binary.LittleEndian.Uint64(rec), VPN: binary.LittleEndian.Uint64(rec[8:]) - 1}
		if binary.LittleEndian.Uint64(rec[8:]) == 0 || !s.restoreSlot(key, slot, lost) {
			continue
		}
		used = slot
	}
	if lost {
		for _, f := range s.stash.table {
			free(sys, f)
		}
		s.stash.table, s.dirty, used = nil, true, -1
	}
	s.swapNext = used + 1
	for slot := used - 1; slot >= 0; slot-- {
		if rec := table[slot*slotRecord:]; binary.LittleEndian.Uint64(rec[8:]) == 0 {
			s.swapFree = append(s.swapFree, slot)
		}
	}
	sort.Slice(s.swapFree, func(i, j int) bool { return s.swapFree[i] > s.swapFree[j] })
}

// restoreSlot records that slot holds the page named key (or, lost, that
// the page's copy is gone); false when no space or object has that page.
func (s *Server) restoreSlot(key Page, slot int64, lost bool) bool {
	var m map[uint64]*page
	if key.Space&sharedSpace != 0 {
		if o := s.shared[key.Space&^sharedSpace]; o != nil {
			m = o.pages
		}
	} else if sp := s.spaces[ipc.Endpoint(key.Space)]; sp != nil {
		m = sp.pages
	}
	if m == nil {
		return false
	}
	if lost {
		m[key.VPN] = &page{slot: -1, lost: true}
	} else {
		m[key.VPN] = &page{slot: slot}
	}
	return true
}

// adopt takes a mapped frame back under mm's management.
func (s *Server) adopt(sys ipc.Sys, fi ipc.FrameInfo) {
	q, err := vm(sys, ipc.VMQuery, fi.Task, fi.VA)
	if err != nil || q.Flags&ipc.PTEPresent == 0 || q.Frame != fi.Frame {
		return // the frame table's "first mapping" is stale; leave the frame alone
	}
	sp := s.spaces[fi.Task]
	if sp == nil {
		sp = s.space(fi.Task)
	}
	r := sp.find(fi.VA)
	if r == nil {
		prot := ipc.ProtRead
		if q.Flags&ipc.PTEWritable != 0 {
			prot |= ipc.ProtWrite
		}
		r = &region{start: pageDown(fi.VA), end: pageDown(fi.VA) + ipc.PageSize, prot: prot}
		sp.insert(r)
		s.dirty = true
	}
	pg, key := sp.pageFor(r, fi.VA), sp.key(r, pageDown(fi.VA))
	if pg.resident {
		return
	}
	pg.frame, pg.resident, pg.lost = fi.Frame, true, false
	s.resident++
	s.pol.Insert(key)
}

// collect finds the tasks that died since mm last looked: a dead task's
// space answers ESRCH. They are forgotten by reap.
func (s *Server) collect(sys ipc.Sys) {
	for _, task := range sortedTasks(s.spaces) {
		_, err := vm(sys, ipc.VMQuery, task, mmproto.HeapBase)
		s.noteDead(task, err)
	}
	s.gcMark = max(64, 2*(len(s.spaces)-len(s.dead)))
}

// reap forgets the tasks found dead during the request. The kernel has
// already unmapped their pages and freed the frames nobody else maps. A
// task found dead while reap waits (for swap, in the kernel: Exited) stays
// for the next reap.
func (s *Server) reap(sys ipc.Sys) {
	for _, task := range sortedTasks(s.dead) {
		s.forget(sys, task)
		delete(s.dead, task)
	}
}

// forget drops a dead task's space.
func (s *Server) forget(sys ipc.Sys, task ipc.Endpoint) {
	sp := s.spaces[task]
	delete(s.notes, task)
	if sp == nil {
		return
	}
	s.dirty = true
	s.noteExit(sp)
	for _, vpn := range sortedIdx(sp.pages) {
		s.drop(sys, Page{Space: uint64(task), VPN: vpn}, nil)
	}
	delete(s.spaces, task)
	for _, r := range sp.regions {
		s.fileGone(r)
		o := r.obj
		if o == nil || o.users[task] == 0 {
			continue
		}
		delete(o.users, task)
		if len(o.users) == 0 {
			s.destroy(sys, o)
			continue
		}
		s.orphans(o)
	}
}

// orphans marks the resident pages of o that no live user maps any more
// as gone: the kernel freed their frames with the last mapping.
func (s *Server) orphans(o *object) {
	for _, idx := range sortedIdx(o.pages) {
		key := Page{Space: sharedSpace | o.id, VPN: idx}
		if pg := o.pages[idx]; pg.resident && len(s.targets(key)) == 0 {
			pg.resident = false
			s.resident--
			s.pol.Remove(key)
		}
	}
}
