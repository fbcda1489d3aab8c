package kernel

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// vm is the memory manager's interface to the MMU (Sys.VM): frames, page
// table entries, frame contents. caller is the trapping task; by is the
// pager's own task, nil when the pager runs in the kernel (inside
// caller's trap). LECTURE: pager
func (k *Kernel) vm(c *cpu, caller, by *Task, req *ipc.VMRequest) ipc.Errno {
	switch req.Op {
	case ipc.VMAlloc:
		f, ok := k.mem.alloc()
		if !ok {
			return linux.ENOMEM
		}
		req.Frame = f
		return 0
	case ipc.VMFree:
		if e := k.checkFrame(req.Frame); e != 0 {
			return e
		}
		if k.mem.refs[req.Frame] > 0 {
			return linux.EBUSY
		}
		k.mem.release(req.Frame)
		return 0
	case ipc.VMReadFrame, ipc.VMWriteFrame:
		return k.frameCopy(c, req)
	case ipc.VMFrames:
		req.Frames = k.FrameTable()
		return 0
	}
	return k.vmEntry(caller, by, req)
}

// vmEntry serves the operations on one page-table entry.
func (k *Kernel) vmEntry(caller, by *Task, req *ipc.VMRequest) ipc.Errno {
	t, e := k.lookup(req.Task)
	if e != 0 {
		return e
	}
	if req.VA >= ipc.VALimit {
		return ipc.ErrInvalid
	}
	va := req.VA &^ (ipc.PageSize - 1)
	m := t.memory()
	pte := m.as.entry(va, req.Op == ipc.VMMap)
	old := uint32(0)
	if pte != nil {
		old = *pte
	}
	if req.Op == ipc.VMMap {
		return k.vmMap(caller, by, t, va, pte, req)
	}
	req.Flags = old & (1<<pteFrameShift - 1)
	req.Frame = old >> pteFrameShift
	switch req.Op {
	case ipc.VMQuery:
		return 0
	case ipc.VMUnmap:
		if old&ipc.PTEPresent != 0 {
			*pte = 0
			m.as.resident--
			k.unref(old >> pteFrameShift)
		}
	case ipc.VMProtect:
		if old&ipc.PTEPresent == 0 {
			return linux.ENOENT
		}
		*pte = old&^ipc.PTEWritable | protBits(req.Prot)&ipc.PTEWritable
		m.fixed(va>>pteFrameShift, *pte)
	case ipc.VMClearAccessed:
		if pte != nil {
			*pte &^= ipc.PTEAccessed
		}
	default:
		return ipc.ErrInvalid
	}
	k.shootdown(t.ep, va>>pteFrameShift, false)
	return 0
}

// vmMap installs frame req.Frame at va for t, if t may have it
// (mmu_owner.go).
func (k *Kernel) vmMap(caller, by, t *Task, va uint64, pte *uint32, req *ipc.VMRequest) ipc.Errno {
	f := req.Frame
	if e := k.checkFrame(f); e != 0 {
		return e
	}
	old := *pte
	if e := k.mayMap(caller, by, t, va, old, f, req.Share); e != 0 {
		return e
	}
	k.mem.refs[f]++
	k.mem.last[f], k.mem.lastVA[f] = t.ep, va
	*pte = f<<pteFrameShift | protBits(req.Prot)
	if old&ipc.PTEPresent != 0 {
		k.unref(old >> pteFrameShift)
	} else {
		t.mem.as.resident++
	}
	t.mem.fixed(va>>pteFrameShift, *pte)
	req.Frame = f
	k.shootdown(t.ep, va>>pteFrameShift, false)
	return 0
}

func protBits(p ipc.Prot) uint32 {
	b := ipc.PTEPresent | ipc.PTEUser
	if p&ipc.ProtWrite != 0 {
		b |= ipc.PTEWritable
	}
	return b
}

// checkFrame reports whether f is an allocated frame.
func (k *Kernel) checkFrame(f uint32) ipc.Errno {
	if int(f) >= len(k.mem.used) || !k.mem.used[f] {
		return ipc.ErrInvalid
	}
	return 0
}

// frameCopy reads or writes a frame's contents at offset req.VA.
func (k *Kernel) frameCopy(c *cpu, req *ipc.VMRequest) ipc.Errno {
	if e := k.checkFrame(req.Frame); e != 0 {
		return e
	}
	if req.VA > ipc.PageSize || uint64(len(req.Buf)) > ipc.PageSize-req.VA {
		return ipc.ErrFault
	}
	fr := k.mem.frames[req.Frame][req.VA:]
	if req.Op == ipc.VMReadFrame {
		copy(req.Buf, fr)
	} else {
		copy(fr, req.Buf)
	}
	c.charge(k.cfg.Profile.copyNs(len(req.Buf)))
	return 0
}

// mayPage reports whether t may use Sys.VM: it must be an instance of the
// pager service (Config.Pager).
func (k *Kernel) mayPage(t *Task) bool {
	for _, s := range t.services {
		if s.name == k.cfg.Pager {
			return true
		}
	}
	return false
}

// FrameTable lists the used frames in frame order: for `mkos vm` and for a
// restarted memory manager rebuilding its state.
func (k *Kernel) FrameTable() []ipc.FrameInfo {
	var out []ipc.FrameInfo
	for f, used := range k.mem.used {
		if used {
			out = append(out, ipc.FrameInfo{Frame: uint32(f), Mappings: int(k.mem.refs[f]), Task: k.mem.last[f], VA: k.mem.lastVA[f],
				Owner: k.mem.holder[f], Share: k.mem.share[f]})
		}
	}
	return out
}

// MemStats returns a task's memory counters.
func (k *Kernel) MemStats(ep ipc.Endpoint) ipc.MemStats {
	t, _ := k.lookup(ep)
	if t == nil || t.mem == nil {
		return ipc.MemStats{}
	}
	s := t.mem.stats
	s.Resident = t.mem.as.resident
	return s
}
