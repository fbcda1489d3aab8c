package kernel

import (
	"github.com/mkos/mkos/ipc"
	"golang.org/x/sys/unix"
)

// Grants, MINIX safecopy style: a task lets another task (or any instance
// of a service) read or write a range of its memory through the kernel.
// No task can reach another's memory without one. LECTURE: grants
type grant struct {
	to     ipc.Endpoint // a task, or a service endpoint for any of its instances
	va     uint64
	length uint64
	prot   ipc.Prot
	live   bool
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
	m := t.memory()
	m.grants = append(m.grants, grant{to: to, va: va, length: length, prot: prot, live: true})
	return ipc.GrantID(len(m.grants)), 0
}

// revoke ends t's grant g.
func (k *Kernel) revoke(t *Task, g ipc.GrantID) ipc.Errno {
	if t.mem == nil || g == 0 || int(g) > len(t.mem.grants) || !t.mem.grants[g-1].live {
		return ipc.ErrInvalid
	}
	t.mem.grants[g-1].live = false
	return 0
}

// grantFor checks that grantee (a task, or in-kernel code of service svc)
// may use owner's grant g for len bytes at off, and returns it.
func (k *Kernel) grantFor(grantee *Task, svc *service, owner *Task, g ipc.GrantID, off, n uint64, write bool) (*grant, ipc.Errno) {
	if owner.mem == nil || g == 0 || int(g) > len(owner.mem.grants) {
		return nil, ipc.ErrPerm
	}
	gr := &owner.mem.grants[g-1]
	if !gr.live || !granted(gr.to, grantee, svc) {
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
			return done, unix.EFAULT
		}
		if !owner.alive() {
			return done, ipc.ErrDead
		}
	}
	k.cpuOf(t).charge(k.cfg.Profile.copyNs(len(buf)))
	k.stats.BulkBytes += int64(len(buf))
	return len(buf), 0
}
