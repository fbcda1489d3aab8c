package mm

import (
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
)

// The address-space system calls: brk, mmap, munmap, mprotect, msync and
// Release. Each acts on the caller's own space (ctx.Caller, stamped by
// the kernel).

func (s *Server) brk(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	sp := s.space(ctx.Caller)
	end := req.Word(0)
	rep := ipc.Reply(req)
	if end == 0 {
		rep.SetWord(0, sp.brk)
		return rep
	}
	if end < mmproto.HeapBase || end > ipc.VALimit {
		return ipc.ErrorReply(req, ipc.ErrInvalid)
	}
	top, cur := pageUp(end), sp.lastHeap().end
	switch {
	case top > cur && !sp.free(cur, top):
		return ipc.ErrorReply(req, linux.ENOMEM)
	case top > cur:
		sp.growHeap(top)
	case top < cur:
		s.shrinkHeap(ctx.Sys, sp, top)
	}
	sp.brk = end
	s.dirty = true
	rep.SetWord(0, sp.brk)
	return rep
}

// lastHeap returns the heap region that ends the heap.
func (sp *space) lastHeap() *region {
	var last *region
	for _, r := range sp.regions {
		if r.heap && (last == nil || r.end >= last.end) {
			last = r
		}
	}
	if last == nil {
		panic("mm: a space without a heap")
	}
	return last
}

// growHeap moves the end of the heap up to top: readable and writable,
// whatever mprotect did to the pages below.
func (sp *space) growHeap(top uint64) {
	last := sp.lastHeap()
	if last.prot == ipc.ProtRead|ipc.ProtWrite {
		last.end = top
		return
	}
	sp.insert(&region{start: last.end, end: top, prot: ipc.ProtRead | ipc.ProtWrite, heap: true})
}

// shrinkHeap moves the end of the heap down to top, forgetting the pages
// above it. The first heap region stays, empty if need be.
func (s *Server) shrinkHeap(sys ipc.Sys, sp *space, top uint64) {
	for i := len(sp.regions) - 1; i >= 0; i-- {
		r := sp.regions[i]
		if !r.heap || r.end <= top {
			continue
		}
		s.release(sys, sp, &region{start: max(r.start, top), end: r.end, prot: r.prot})
		if r.start >= top && r.start != mmproto.HeapBase {
			sp.remove(r)
			continue
		}
		r.end = top
		if r.start == r.end {
			r.prot = ipc.ProtRead | ipc.ProtWrite
		}
	}
}

// mergeHeap joins neighbouring heap regions with the same protection
// (after an mprotect gives a cut-out part its old protection back).
func (sp *space) mergeHeap() {
	out := sp.regions[:0]
	for _, r := range sp.regions {
		if n := len(out); n > 0 && r.heap && out[n-1].heap && out[n-1].end == r.start && out[n-1].prot == r.prot {
			out[n-1].end = r.end
			continue
		}
		out = append(out, r)
	}
	clear(sp.regions[len(out):])
	sp.regions = out
}

func (s *Server) mmap(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	sp := s.space(ctx.Caller)
	hint, length := req.Word(0), pageUp(req.Word(1))
	prot, flags := ipc.Prot(req.Word(2)), mmproto.Flags(req.Word(3))
	anon, shared := flags&mmproto.MapAnonymous != 0, flags&mmproto.MapShared != 0
	switch {
	case length == 0 || prot&^(ipc.ProtRead|ipc.ProtWrite) != 0:
		return ipc.ErrorReply(req, ipc.ErrInvalid)
	case flags&^(mmproto.MapAnonymous|mmproto.MapShared|mmproto.MapFixed) != 0:
		return ipc.ErrorReply(req, ipc.ErrInvalid) // a flag mm does not know
	case anon && shared && (req.Word(4) >= mmproto.MaxShareID || req.Word(5) > mmproto.MaxShmMode):
		return ipc.ErrorReply(req, ipc.ErrInvalid)
	case length >= ipc.VALimit:
		return ipc.ErrorReply(req, linux.ENOMEM)
	}
	r := &region{prot: prot}
	if !anon {
		f, e := s.mmapFile(ctx, req, shared, prot)
		if e != 0 {
			return ipc.ErrorReply(req, e)
		}
		r.file, r.filePage, r.noWrite = f, req.Word(4)/ipc.PageSize, shared && !f.write
	}
	var perm shmPerm
	if anon && shared {
		p, mayWrite, e := s.shmAccess(ctx, req.Word(4), uint32(req.Word(5)), prot)
		if e != 0 {
			return ipc.ErrorReply(req, e)
		}
		perm, r.noWrite = p, !mayWrite
	}
	at, ok := sp.place(hint, length, flags&mmproto.MapFixed != 0)
	if !ok {
		s.fileGone(r)
		return ipc.ErrorReply(req, linux.ENOMEM)
	}
	r.start, r.end = at, at+length
	switch {
	case shared && r.file != nil:
		r.obj = s.attachFile(sp.task, r.file, r.filePage+length/ipc.PageSize)
		r.objPage, r.file, r.filePage = r.filePage, nil, 0
	case shared:
		r.obj = s.attach(sp.task, req.Word(4), length/ipc.PageSize)
		r.obj.perm = perm // the segment's own, or the caller's if it is new
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

// maxFileOffset bounds a file mapping's offset (the largest file the file
// server can hold is smaller).
const maxFileOffset = 1 << 44

// mmapFile checks the file part of an Mmap request and opens the file.
func (s *Server) mmapFile(ctx *ipc.Ctx, req *ipc.Message, shared bool, prot ipc.Prot) (*fileRef, ipc.Errno) {
	off, n, oflags := req.Word(4), int(uint32(req.Word(5))), int(req.Word(5)>>32)
	acc := oflags & linux.O_ACCMODE
	switch {
	case off != pageDown(off) || off >= maxFileOffset || n == 0 || n > fsproto.PathMax:
		return nil, ipc.ErrInvalid
	case acc != linux.O_RDONLY && acc != linux.O_RDWR:
		return nil, linux.EACCES // write-only, or no access at all
	case shared && prot&ipc.ProtWrite != 0 && acc != linux.O_RDWR:
		return nil, linux.EACCES
	}
	path := make([]byte, n)
	if k, err := ctx.CopyIn(0, path); err != nil || k != n {
		return nil, ipc.ErrFault
	}
	return s.mapFile(ctx.Sys, string(path), acc == linux.O_RDWR)
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

// attachFile returns the object of file f, as attach does. The object
// writes back through a read-write reference as soon as one mapper has
// one.
func (s *Server) attachFile(task ipc.Endpoint, f *fileRef, npages uint64) *object {
	o := s.attach(task, fileObjects|f.ino, npages)
	if o.file == nil || f.write && !o.file.write {
		o.file = f
		s.filesChanged = true // the read-only reference may be unused now
	}
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
			s.mapInto(sys, sp.task, va, pg.frame, r.prot, shareName(r.obj))
		}
	}
}

func (s *Server) munmap(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	sp := s.space(ctx.Caller)
	addr, length := req.Word(0), pageUp(req.Word(1))
	if addr != pageDown(addr) || length == 0 || addr >= ipc.VALimit || length > ipc.VALimit-addr {
		return ipc.ErrorReply(req, ipc.ErrInvalid)
	}
	s.unmap(ctx.Sys, sp, addr, addr+length)
	return ipc.Reply(req)
}

// unmap removes the mappings in [start, end) of sp (not the heap).
func (s *Server) unmap(sys ipc.Sys, sp *space, start, end uint64) {
	for _, r := range sp.split(start, end, false) {
		s.release(sys, sp, r)
		sp.remove(r)
	}
	s.dirty = true
}

// releaseAll serves Release: everything the caller maps goes, as at exit.
func (s *Server) releaseAll(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if sp := s.spaces[ctx.Caller]; sp != nil {
		s.unmap(ctx.Sys, sp, ipc.PageSize, ipc.VALimit)
		s.shrinkHeap(ctx.Sys, sp, mmproto.HeapBase)
		sp.brk = mmproto.HeapBase
	}
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
// this was the object's last user. A written page of a shared file
// mapping is written back first.
func (s *Server) release(sys ipc.Sys, sp *space, r *region) {
	s.fileGone(r)
	for _, key := range sp.touched(r) {
		pg := s.pageOf(key)
		if r.obj == nil {
			s.drop(sys, key, []target{{sp.task, key.VPN * ipc.PageSize}})
			delete(sp.pages, key.VPN)
			continue
		}
		va, _ := r.vaOf(r.obj, key.VPN)
		if pg.resident && r.obj.file != nil {
			s.cleanPage(sys, r.obj, key.VPN, pg) // a failure loses the data, as munmap reports none
		}
		others := len(s.targets(key)) - 1
		if pg.resident && others == 0 && (len(r.obj.users) > 1 || r.obj.users[sp.task] > 1) {
			s.pol.Remove(key)
			s.evict(sys, key)
			continue
		}
		s.unmapShared(sys, sp.task, va, pg)
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

// unmapShared removes task's entry for shared page pg at va, keeping the
// entry's dirty bit in pg: the page stays for the other users.
func (s *Server) unmapShared(sys ipc.Sys, task ipc.Endpoint, va uint64, pg *page) {
	q, err := vm(sys, ipc.VMUnmap, task, va)
	s.noteDead(task, err)
	if err == nil && q.Flags&ipc.PTEPresent != 0 && q.Flags&ipc.PTEDirty != 0 {
		pg.dirty = true
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
	if !sp.covers(addr, addr+length) {
		return ipc.ErrorReply(req, linux.ENOMEM) // a hole
	}
	rs := sp.split(addr, addr+length, true)
	for _, r := range rs {
		if r.noWrite && prot&ipc.ProtWrite != 0 {
			sp.mergeHeap()
			return ipc.ErrorReply(req, linux.EACCES)
		}
	}
	for _, r := range rs {
		r.prot = prot
		s.reprotect(ctx.Sys, sp, r)
	}
	sp.mergeHeap()
	s.dirty = true
	return ipc.Reply(req)
}

// covers reports whether the regions of sp leave no hole in [start, end).
func (sp *space) covers(start, end uint64) bool {
	at := start
	for _, r := range sp.regions {
		if r.end <= at || r.start == r.end {
			continue
		}
		if r.start > at {
			return false
		}
		if at = r.end; at >= end {
			return true
		}
	}
	return at >= end
}

// reprotect applies r's new protection to its resident pages. With no
// access at all the pages leave memory (to swap, or their file, if
// dirty), so that the next touch faults and is refused.
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
			s.unmapShared(sys, sp.task, va, pg)
		default:
			s.pol.Remove(key)
			s.evict(sys, key)
		}
	}
}

// msync writes the written pages of the shared file mappings in the
// range back, then fsyncs their files.
func (s *Server) msync(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	sp := s.space(ctx.Caller)
	addr, length := req.Word(0), pageUp(req.Word(1))
	if addr != pageDown(addr) || length == 0 || addr >= ipc.VALimit || length > ipc.VALimit-addr {
		return ipc.ErrorReply(req, ipc.ErrInvalid)
	}
	if !sp.covers(addr, addr+length) {
		return ipc.ErrorReply(req, linux.ENOMEM)
	}
	var written []*fileRef
	for _, r := range sp.regions {
		if r.obj == nil || r.obj.file == nil || r.end <= addr || r.start >= addr+length {
			continue
		}
		for _, key := range sp.touched(r) {
			va, _ := r.vaOf(r.obj, key.VPN)
			pg := r.obj.pages[key.VPN]
			if va < addr || va >= addr+length || !pg.resident {
				continue
			}
			wrote, e := s.cleanPage(ctx.Sys, r.obj, key.VPN, pg)
			if e != 0 {
				return ipc.ErrorReply(req, e)
			}
			if wrote && !slices.Contains(written, r.obj.file) {
				written = append(written, r.obj.file)
			}
		}
	}
	for _, f := range written {
		err := s.withFile(ctx.Sys, f, func(c fsproto.Client, fd fsproto.FD) error { return c.Fsync(fd) })
		if err != nil {
			return ipc.ErrorReply(req, ioErr(err))
		}
	}
	return ipc.Reply(req)
}
