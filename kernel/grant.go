package kernel

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Grants, MINIX safecopy style: a task lets another task (or any instance
// of a service) read or write a range of its memory through the kernel.
// No task can reach another's memory without one. LECTURE: grants
//
// Each task's grants live in a table of at most MaxGrants slots. A GrantID
// is the slot's number plus one in its low 16 bits and the slot's
// generation in its high 16 bits: Revoke frees the slot and bumps the
// generation, so a slot is reused and an old id never names the grant that
// took its place. A grant to a task that has died is dropped the next time
// the table is full. A grant/revoke loop therefore keeps one slot busy, and
// a task that keeps MaxGrants grants live gets ENOSPC. A dead task's own
// grants go with its memory (freeMemory).
type grant struct {
	to     ipc.Endpoint // a task, or a service endpoint for any of its instances
	va     uint64
	length uint64
	prot   ipc.Prot
	live   bool
	gen    uint16 // bumped when the slot is freed
}

// MaxGrants bounds a task's live grants; Grant fails with ENOSPC beyond it.
const MaxGrants = 1024

// grantTable is one task's grants: the slots, and the free ones among them
// (reused last freed first).
type grantTable struct {
	slots []grant
	free  []int
}

// makeGrant records a grant by t.
func (k *Kernel) makeGrant(t *Task, to ipc.Endpoint, va, length uint64, prot ipc.Prot) (ipc.GrantID, ipc.Errno) {
	if length == 0 || va >= ipc.VALimit || length > ipc.VALimit-va || prot == 0 {
		return 0, ipc.ErrInvalid
	}
	if to.IsService() {
		if _, e := k.bus.get(to.Service()); e != 0 {
			return 0, e
		}
	} else if _, e := k.lookup(to); e != 0 {
		return 0, e
	}
	gt := &t.memory().grants
	i, ok := gt.alloc(k)
	if !ok {
		return 0, linux.ENOSPC
	}
	g := &gt.slots[i]
	g.to, g.va, g.length, g.prot, g.live = to, va, length, prot, true
	return grantID(i, g.gen), 0
}

// alloc returns a free slot: a freed one, a new one, or one whose grantee
// has died. false when all MaxGrants are live.
func (gt *grantTable) alloc(k *Kernel) (int, bool) {
	if len(gt.free) == 0 && len(gt.slots) == MaxGrants {
		gt.sweep(k)
	}
	if n := len(gt.free); n > 0 {
		i := gt.free[n-1]
		gt.free = gt.free[:n-1]
		return i, true
	}
	if len(gt.slots) == MaxGrants {
		return 0, false
	}
	gt.slots = append(gt.slots, grant{})
	return len(gt.slots) - 1, true
}

// sweep frees the grants to tasks that have died.
func (gt *grantTable) sweep(k *Kernel) {
	for i := range gt.slots {
		g := &gt.slots[i]
		if g.live && !g.to.IsService() {
			if _, e := k.lookup(g.to); e != 0 {
				gt.drop(i)
			}
		}
	}
}

// drop frees slot i.
func (gt *grantTable) drop(i int) {
	g := &gt.slots[i]
	g.live = false
	g.gen++
	gt.free = append(gt.free, i)
}

// get returns the live grant g names, or nil.
func (gt *grantTable) get(g ipc.GrantID) *grant {
	i := int(g&0xffff) - 1
	if i < 0 || i >= len(gt.slots) {
		return nil
	}
	gr := &gt.slots[i]
	if !gr.live || gr.gen != uint16(g>>16) {
		return nil
	}
	return gr
}

// grantID names slot i at generation gen.
func grantID(i int, gen uint16) ipc.GrantID {
	return ipc.GrantID(uint32(gen)<<16 | uint32(i+1))
}

// revoke ends t's grant g.
func (k *Kernel) revoke(t *Task, g ipc.GrantID) ipc.Errno {
	if t.mem == nil || t.mem.grants.get(g) == nil {
		return ipc.ErrInvalid
	}
	t.mem.grants.drop(int(g&0xffff) - 1)
	return 0
}

// Grants returns how many grant slots the task at ep holds (live or free
// for reuse): the size of its grant table.
func (k *Kernel) Grants(ep ipc.Endpoint) int {
	t, _ := k.lookup(ep)
	if t == nil || t.mem == nil {
		return 0
	}
	return len(t.mem.grants.slots)
}

// grantFor checks that grantee (a task, or in-kernel code of service svc)
// may use owner's grant g for len bytes at off, and returns it.
func (k *Kernel) grantFor(grantee *Task, svc *service, owner *Task, g ipc.GrantID, off, n uint64, write bool) (*grant, ipc.Errno) {
	if owner.mem == nil {
		return nil, ipc.ErrPerm
	}
	gr := owner.mem.grants.get(g)
	if gr == nil || !granted(gr.to, grantee, svc) {
		return nil, ipc.ErrPerm
	}
	if off > gr.length || n > gr.length-off {
		return nil, ipc.ErrFault
	}
	if write && gr.prot&ipc.ProtWrite == 0 || !write && gr.prot&ipc.ProtRead == 0 {
		return nil, ipc.ErrPerm
	}
	return gr, 0
}

// granted reports whether the grantee named by to is the task t, or
// service svc, or a service t is an instance of.
func granted(to ipc.Endpoint, t *Task, svc *service) bool {
	if !to.IsService() {
		return svc == nil && to == t.ep
	}
	if svc != nil {
		return svc.id == to.Service()
	}
	for _, s := range t.services {
		if s.id == to.Service() {
			return true
		}
	}
	return false
}

// grantCopy copies between buf and owner's granted memory for task t (the
// one that waits if a page must fault in). svc is set when the copy is made
// by a server placed in the kernel. It returns the bytes copied.
func (k *Kernel) grantCopy(t *Task, svc *service, ownerEp ipc.Endpoint, g ipc.GrantID, off uint64, buf []byte, write bool) (int, ipc.Errno) {
	owner, e := k.lookup(ownerEp)
	if e != 0 {
		return 0, e
	}
	gr, e := k.grantFor(t, svc, owner, g, off, uint64(len(buf)), write)
	if e != 0 {
		return 0, e
	}
	va := gr.va + off
	for done := 0; done < len(buf); {
		c := k.cpuOf(t)
		n, ff, ok := k.access(&owner.mem.as, owner.ep, c, nil, &owner.mem.stats, va+uint64(done), buf[done:], write)
		if ok {
			done += n
			continue
		}
		if e := k.pageFault(t, owner, va+uint64(done), ff); e != 0 {
			return done, linux.EFAULT
		}
		if !owner.alive() {
			return done, ipc.ErrDead
		}
	}
	k.cpuOf(t).charge(k.cfg.Profile.copyNs(len(buf)))
	k.stats.BulkBytes += int64(len(buf))
	return len(buf), 0
}
