package mm

import (
	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
)

// The address-space system calls: brk, mmap, munmap, mprotect. Each acts
// on the caller's own space (ctx.Caller, stamped by the kernel).

func (s *Server) brk(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	sp := s.space(ctx.Caller)
	end := req.Word(0)
	rep := ipc.Reply(req)
	if end == 0 {
		rep.SetWord(0, sp.brk)
		return rep
	}
	heap := sp.regions[sp.heapIndex()]
	top := pageUp(end)
	switch {
	case end < mmproto.HeapBase || end > ipc.VALimit:
		return ipc.ErrorReply(req, ipc.ErrInvalid)
	case top > heap.end && !sp.free(heap.end, top):
		return ipc.ErrorReply(req, unix.ENOMEM)
	case top < heap.end:
		s.release(ctx.Sys, sp, &region{start: top, end: heap.end, prot: heap.prot})
	}
	heap.end, sp.brk = top, end
	s.dirty = true
	rep.SetWord(0, sp.brk)
	return rep
}

// heapIndex returns the index of the heap among sp's regions.
func (sp *space) heapIndex() int {
	for i, r := range sp.regions {
		if r.heap {
			return i
		}
	}
	panic("mm: a space without a heap")
}

func (s *Server) mmap(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	sp := s.space(ctx.Caller)
	hint, length := req.Word(0), pageUp(req.Word(1))
	prot, flags, id := ipc.Prot(req.Word(2)), mmproto.Flags(req.Word(3)), req.Word(4)
	switch {
	case length == 0 || prot&^(ipc.ProtRead|ipc.ProtWrite) != 0:
		return ipc.ErrorReply(req, ipc.ErrInvalid)
	case flags&mmproto.MapAnonymous == 0:
		return ipc.ErrorReply(req, unix.ENODEV) // file mappings come with the file server
	case length >= ipc.VALimit:
		return ipc.ErrorReply(req, unix.ENOMEM)
	}
	at, ok := sp.place(hint, length, flags&mmproto.MapFixed != 0)
	if !ok {
		return ipc.ErrorReply(req, unix.ENOMEM)
	}
	r := &region{start: at, end: at + length, prot: prot}
	if flags&mmproto.MapShared != 0 {
		r.obj = s.attach(sp.task, id, length/ipc.PageSize)
	}
	sp.insert(r)
	if r.obj != nil {
		s.mapResident(ctx.Sys, sp, r)
	}
	s.dirty = true
	rep := ipc.Reply(req)
	rep.SetWord(0, at)
	return rep
}

// attach returns shared object id, created or grown to npages, with task
// counted as one more user.
func (s *Server) attach(task ipc.Endpoint, id, npages uint64) *object {
	o := s.shared[id]
	if o == nil {
		o = &object{id: id, pages: map[uint64]*page{}, users: map[ipc.Endpoint]int{}}
		s.shared[id] = o
	}
	o.npages = max(o.npages, npages)
	o.users[task]++
	return o
}

// mapResident maps the resident pages of r's object into sp's task at
// once, so that they stay in memory as long as any user lives.
func (s *Server) mapResident(sys ipc.Sys, sp *space, r *region) {
	if r.prot == 0 {
		return
	}
	for _, key := range sp.touched(r) {
		if pg := r.obj.pages[key.VPN]; pg.resident {
			va, _ := r.vaOf(r.obj, key.VPN)
			s.mapInto(sys, sp.task, va, pg.frame, r.prot)
		}
	}
}

func (s *Server) munmap(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	sp := s.space(ctx.Caller)
	addr, length := req.Word(0), pageUp(req.Word(1))
	if addr != pageDown(addr) || length == 0 || addr >= ipc.VALimit || length > ipc.VALimit-addr {
		return ipc.ErrorReply(req, ipc.ErrInvalid)
	}
	for _, r := range sp.split(addr, addr+length) {
		s.release(ctx.Sys, sp, r)
		sp.remove(r)
	}
	s.dirty = true
	return ipc.Reply(req)
}

// remove takes r out of sp, and sp's task out of its object's users.
func (sp *space) remove(r *region) {
	for i, x := range sp.regions {
		if x == r {
			sp.regions = append(sp.regions[:i], sp.regions[i+1:]...)
			break
		}
	}
}

// release forgets the pages of r in sp, which is going away (munmap, a
// shrinking heap). A shared page other users still map stays; one that
// only this task mapped is evicted as usual, to swap if dirty, unless
// this was the object's last user.
func (s *Server) release(sys ipc.Sys, sp *space, r *region) {
	for _, key := range sp.touched(r) {
		pg := s.pageOf(key)
		if r.obj == nil {
			s.drop(sys, key, []target{{sp.task, key.VPN * ipc.PageSize}})
			delete(sp.pages, key.VPN)
			continue
		}
		va, _ := r.vaOf(r.obj, key.VPN)
		others := len(s.targets(key)) - 1
		if pg.resident && others == 0 && (len(r.obj.users) > 1 || r.obj.users[sp.task] > 1) {
			s.pol.Remove(key)
			s.evict(sys, key)
			continue
		}
		vm(sys, ipc.VMUnmap, sp.task, va)
	}
	if o := r.obj; o != nil {
		if o.users[sp.task]--; o.users[sp.task] == 0 {
			delete(o.users, sp.task)
		}
		if len(o.users) == 0 {
			s.destroy(sys, o)
		}
	}
}

// destroy forgets a shared object no task maps any more.
func (s *Server) destroy(sys ipc.Sys, o *object) {
	for _, idx := range sortedIdx(o.pages) {
		s.drop(sys, Page{Space: sharedSpace | o.id, VPN: idx}, nil)
	}
	delete(s.shared, o.id)
}

func (s *Server) mprotect(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	sp := s.space(ctx.Caller)
	addr, length, prot := req.Word(0), pageUp(req.Word(1)), ipc.Prot(req.Word(2))
	if addr != pageDown(addr) || length == 0 || addr >= ipc.VALimit || length > ipc.VALimit-addr ||
		prot&^(ipc.ProtRead|ipc.ProtWrite) != 0 {
		return ipc.ErrorReply(req, ipc.ErrInvalid)
	}
	rs := sp.split(addr, addr+length)
	covered := uint64(0)
	for _, r := range rs {
		covered += r.end - r.start
	}
	if covered != length {
		return ipc.ErrorReply(req, unix.ENOMEM) // holes, or the heap
	}
	for _, r := range rs {
		r.prot = prot
		s.reprotect(ctx.Sys, sp, r)
	}
	s.dirty = true
	return ipc.Reply(req)
}

// reprotect applies r's new protection to its resident pages. With no
// access at all the pages leave memory (to swap if dirty), so that the
// next touch faults and is refused.
func (s *Server) reprotect(sys ipc.Sys, sp *space, r *region) {
	for _, key := range sp.touched(r) {
		pg := s.pageOf(key)
		if !pg.resident {
			continue
		}
		va := key.VPN * ipc.PageSize
		if r.obj != nil {
			va, _ = r.vaOf(r.obj, key.VPN)
		}
		switch {
		case r.prot != 0:
			req := ipc.VMRequest{Op: ipc.VMProtect, Task: sp.task, VA: va, Prot: r.prot}
			s.noteDead(sp.task, sys.VM(&req))
		case r.obj != nil && len(s.targets(key)) > 1:
			vm(sys, ipc.VMUnmap, sp.task, va)
		default:
			s.pol.Remove(key)
			s.evict(sys, key)
		}
	}
}
