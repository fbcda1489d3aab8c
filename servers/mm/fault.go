package mm

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Page faults and replacement. LECTURE: pager
//
// A fault, step by step:
//
//  1. The kernel sends PageFault for the task: Word(0) the address,
//     Word(1) the FaultFlags, Word(2) the address space's owner (the
//     task itself, or the owner of a grant another task copies through).
//  2. mm finds the region holding the address; none, or one that does not
//     allow the access, is a segmentation fault: the reply's EFAULT makes
//     the kernel kill the task.
//  3. A page already resident (a shared page another task brought in, or
//     a protection the region now allows) is just mapped: a minor fault.
//  4. Otherwise mm gets a frame: at its resident limit, or when VMAlloc
//     says physical memory is full, it first evicts the policy's victim.
//  5. A page with a swap copy is read back into the frame, a page of a
//     file mapping is read from the file (file.go): a major fault; a new
//     anonymous page stays as VMAlloc made it, zero-filled.
//  6. mm maps the frame into the faulting task (a shared page's frame
//     marked shared, then mapped into every other task attached to it:
//     the kernel lets no other order through), tells the policy, and
//     replies; the kernel retries the access.
//
// Eviction: the victim's entries are made read-only (so the copy cannot
// go stale), their dirty bits read, a dirty page written to swap (or, for
// a shared file mapping, to its file), and the entries removed; the
// kernel frees the frame with its last mapping.

// vm makes one pager call on the task's address space.
func vm(sys ipc.Sys, op ipc.VMOp, task ipc.Endpoint, va uint64) (ipc.VMRequest, error) {
	req := ipc.VMRequest{Op: op, Task: task, VA: va}
	err := sys.VM(&req)
	return req, err
}

// fault serves a PageFault.
func (s *Server) fault(sys ipc.Sys, req *ipc.Message) ipc.Message {
	owner := ipc.Endpoint(req.Word(2))
	if owner == 0 {
		owner = req.Source
	}
	va, ff := req.Word(0), ipc.FaultFlags(req.Word(1))
	sp := s.space(owner)
	r := sp.find(va)
	if r == nil || !allows(r.prot, ff) {
		s.stats.Segv++
		sp.count.Segv++
		return ipc.ErrorReply(req, ipc.ErrFault)
	}
	major, e := s.pageIn(sys, sp, r, pageDown(va))
	if e != 0 {
		if e == ipc.ErrFault {
			s.stats.Segv++
			sp.count.Segv++
		}
		return ipc.ErrorReply(req, e)
	}
	s.stats.Faults++
	rep := ipc.Reply(req)
	if major {
		s.stats.Major++
		sp.count.Major++
		rep.SetWord(0, 1)
	} else {
		sp.count.Minor++
	}
	return rep
}

// allows reports whether prot permits the faulting access. A mapping
// that may be written may be read.
func allows(prot ipc.Prot, ff ipc.FaultFlags) bool {
	if ff&ipc.FaultWrite != 0 {
		return prot&ipc.ProtWrite != 0
	}
	return prot != 0
}

// pageIn makes the page at va of r resident and mapped in sp's task.
func (s *Server) pageIn(sys ipc.Sys, sp *space, r *region, va uint64) (major bool, e ipc.Errno) {
	pg, key := sp.pageFor(r, va), sp.key(r, va)
	if pg.resident {
		e := s.mapInto(sys, sp.task, va, pg.frame, r.prot, shareName(r.obj))
		if e != ipc.ErrPerm && e != ipc.ErrInvalid {
			return false, e
		}
		s.stale(key, pg)
	}
	if pg.lost {
		return false, linux.EIO
	}
	frame, e := s.frame(sys)
	if e != 0 {
		return false, e
	}
	if pg.slot >= 0 {
		e = s.swapIn(sys, pg.slot, frame)
		major = true
	} else if f, idx := backing(r, va); f != nil {
		e = s.readPage(sys, f, idx, frame)
		major = true
	}
	if e != 0 {
		free(sys, frame)
		return false, e
	}
	pg.frame, pg.resident = frame, true
	if r.obj == nil {
		e = s.mapInto(sys, sp.task, va, frame, r.prot, 0)
	} else {
		e = s.mapShared(sys, sp, va, r, key.VPN, frame)
	}
	if e != 0 {
		pg.resident = false
		free(sys, frame)
		return false, e
	}
	s.resident++
	s.pol.Insert(key)
	s.noteFor(sp.task).miss = true
	return major, 0
}

// stale forgets that the page named key is resident: its frame is not
// its own any more. The kernel frees a frame with its last mapping, and a
// shared page whose only live user keeps it inaccessible (PROT_NONE) had
// none when its other users died; the kernel refuses to map the frame,
// which may now hold another task's page, and the page comes in afresh
// (from swap if it has a copy there; its newer contents are lost).
func (s *Server) stale(key Page, pg *page) {
	pg.resident = false
	s.resident--
	s.pol.Remove(key)
}

// mapInto maps frame at va for task; share, when not 0, is the name of the
// shared object the page belongs to (shareName). The kernel lets a frame
// mm has not mapped yet go only to the task whose fault it resolves, that
// task's private frames to no other task, and a shared frame only under
// its name.
func (s *Server) mapInto(sys ipc.Sys, task ipc.Endpoint, va uint64, frame uint32, prot ipc.Prot, share uint64) ipc.Errno {
	req := ipc.VMRequest{Op: ipc.VMMap, Task: task, VA: va, Frame: frame, Prot: prot, Share: share}
	if err := sys.VM(&req); err != nil {
		s.noteDead(task, err)
		return ipc.ErrnoOf(err)
	}
	return 0
}

// mapShared maps frame, page idx of r's object, into every task attached
// to it, so that the frame lives as long as any of them does: first at va
// for sp's task, whose fault it resolves, shared, and then for the others.
func (s *Server) mapShared(sys ipc.Sys, sp *space, va uint64, r *region, idx uint64, frame uint32) ipc.Errno {
	if e := s.mapInto(sys, sp.task, va, frame, r.prot, shareName(r.obj)); e != 0 {
		return e
	}
	for _, t := range s.targets(Page{Space: sharedSpace | r.obj.id, VPN: idx}) {
		other := s.spaces[t.task].find(t.va)
		if t.task == sp.task && t.va == va || other.prot == 0 {
			continue
		}
		s.mapInto(sys, t.task, t.va, frame, other.prot, shareName(r.obj))
	}
	return 0
}

// shareName is the name the kernel knows o's frames by (VMRequest.Share):
// o's id, plus one so that it is never 0; 0 for private memory (nil).
func shareName(o *object) uint64 {
	if o == nil {
		return 0
	}
	return o.id + 1
}

// free gives back a frame mm allocated and did not map.
func free(sys ipc.Sys, frame uint32) {
	req := ipc.VMRequest{Op: ipc.VMFree, Frame: frame}
	_ = sys.VM(&req)
}

// frame returns a zero-filled frame, evicting as needed.
func (s *Server) frame(sys ipc.Sys) (uint32, ipc.Errno) {
	for s.opt.ResidentLimit > 0 && s.resident >= s.opt.ResidentLimit {
		if !s.evictOne(sys) {
			break
		}
	}
	return s.alloc(sys)
}

// alloc returns a zero-filled frame from the kernel, evicting while
// physical memory is full.
func (s *Server) alloc(sys ipc.Sys) (uint32, ipc.Errno) {
	for {
		req := ipc.VMRequest{Op: ipc.VMAlloc}
		err := sys.VM(&req)
		if err == nil {
			return req.Frame, 0
		}
		if !errors.Is(err, linux.ENOMEM) || !s.evictOne(sys) {
			return 0, ipc.ErrnoOf(err)
		}
	}
}

// evictOne evicts the policy's victim; false when nothing is resident or
// the victim could not be written out.
func (s *Server) evictOne(sys ipc.Sys) bool {
	if !s.opt.ExactRefs && wantsReferences(s.pol) {
		s.sample()
	}
	key, ok := s.pol.Victim()
	if !ok {
		return false
	}
	if e := s.evict(sys, key); e != 0 {
		s.pol.Insert(key) // still resident
		return false
	}
	return true
}

// accessed tests and clears the accessed bits of the page named key, in
// every entry that maps it: how clock's hand reads the MMU.
func (s *Server) accessed(key Page) bool {
	used := false
	for _, t := range s.targets(key) {
		req, err := vm(s.sys, ipc.VMClearAccessed, t.task, t.va)
		s.noteDead(t.task, err)
		used = used || err == nil && req.Flags&ipc.PTEAccessed != 0
	}
	return used
}

// sample reads and clears the accessed bit of every resident page and
// reports the pages used since the last sample to the policy, in its
// order: how lru learns of hits the kernel never tells mm of.
func (s *Server) sample() {
	for _, key := range s.pol.Resident() {
		if s.accessed(key) {
			s.pol.Touch(key)
		}
	}
}

// evict takes the resident page key out of memory, writing it to swap (or
// its file) if it is dirty. The policy has already forgotten it.
func (s *Server) evict(sys ipc.Sys, key Page) ipc.Errno {
	pg := s.pageOf(key)
	if pg == nil || !pg.resident {
		return 0
	}
	live, dirty := s.writeProtect(sys, key)
	if (dirty || pg.dirty) && len(live) > 0 {
		var e ipc.Errno
		if o := s.fileObject(key); o != nil {
			e = s.writePage(sys, o.file, key.VPN, pg.frame)
		} else {
			e = s.swapOut(sys, key, pg, pg.frame)
		}
		if e != 0 {
			return e
		}
	}
	for _, t := range live {
		_, err := vm(sys, ipc.VMUnmap, t.task, t.va)
		s.noteDead(t.task, err)
		n := s.noteFor(t.task)
		n.evicted, n.victimVA = true, t.va
	}
	pg.resident, pg.dirty = false, false
	s.resident--
	s.stats.Evictions++
	return 0
}

// fileObject returns the shared file object the page named key belongs
// to, or nil.
func (s *Server) fileObject(key Page) *object {
	if key.Space&sharedSpace == 0 {
		return nil
	}
	if o := s.shared[key.Space&^sharedSpace]; o != nil && o.file != nil {
		return o
	}
	return nil
}

// drop forgets the resident page key without writing it anywhere: its
// task is dead, or its range was unmapped. Entries still present are
// removed (the kernel frees the frame with the last one).
func (s *Server) drop(sys ipc.Sys, key Page, unmap []target) {
	pg := s.pageOf(key)
	for _, t := range unmap {
		_, err := vm(sys, ipc.VMUnmap, t.task, t.va)
		s.noteDead(t.task, err)
	}
	if pg != nil && pg.resident {
		pg.resident = false
		s.resident--
		s.pol.Remove(key)
	}
	if pg != nil {
		s.freeSlot(sys, pg)
	}
}

// noteDead records task as dead when err says so; it is forgotten after
// the request (reap).
func (s *Server) noteDead(task ipc.Endpoint, err error) {
	if errors.Is(err, ipc.ErrDead) {
		s.dead[task] = true
	}
}
