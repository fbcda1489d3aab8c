package kernel

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// access moves bytes between buf and the page holding va in address space
// as, at most to the end of that page. It returns the bytes moved, or the
// fault that stopped it. The CPU's TLB is used when b is not nil (a task's
// own access); the kernel's copies through grants walk the table.
func (k *Kernel) access(as *addrSpace, tag ipc.Endpoint, c *cpu, b *tlb, st *ipc.MemStats, va uint64, buf []byte, write bool) (int, ipc.FaultFlags, bool) {
	p := &k.cfg.Profile
	vpn := va >> pteFrameShift
	var pte *uint32
	if b != nil && len(b.e) > 0 {
		if pte = b.lookup(tag, vpn); pte != nil {
			st.TLBHits++
		}
	}
	if pte == nil {
		if b != nil {
			st.TLBMisses++
		}
		c.charge(p.TLBMissNs)
		pte = as.entry(va, false)
		if pte == nil || *pte&ipc.PTEPresent == 0 {
			return 0, faultFlags(write, false), false
		}
		if b != nil {
			b.insert(tag, vpn, pte)
		}
	}
	if write && *pte&ipc.PTEWritable == 0 {
		return 0, faultFlags(write, true), false
	}
	*pte |= ipc.PTEAccessed
	if write {
		*pte |= ipc.PTEDirty
	}
	off := int(va & (ipc.PageSize - 1))
	n := min(len(buf), ipc.PageSize-off)
	frame := k.mem.frames[*pte>>pteFrameShift][off : off+n]
	if write {
		copy(frame, buf[:n])
	} else {
		copy(buf[:n], frame)
	}
	c.charge(p.MemAccessNs)
	return n, 0, true
}

func faultFlags(write, present bool) ipc.FaultFlags {
	var f ipc.FaultFlags
	if write {
		f |= ipc.FaultWrite
	}
	if present {
		f |= ipc.FaultPresent
	}
	return f
}

// memAccess is Load (write false) and Store for task t: every page is
// translated by the MMU, and a fault is a call to the memory manager made
// for t, after which the access is retried. LECTURE: page-fault
func (k *Kernel) memAccess(t *Task, va uint64, buf []byte, write bool) error {
	if t.killed || t.dying != nil && t.depth == 0 || k.halted != nil || k.ended {
		k.unwindBody(t)
	}
	if va >= ipc.VALimit || uint64(len(buf)) > ipc.VALimit-va {
		k.segv(t, va)
	}
	m := t.memory()
	for done := 0; done < len(buf); {
		c := k.cpuOf(t)
		n, ff, ok := k.access(&m.as, t.ep, c, &c.tlb, &m.stats, va+uint64(done), buf[done:], write)
		if ok {
			done += n
			continue
		}
		if e := k.pageFault(t, t, va+uint64(done), ff); e != 0 {
			k.segv(t, va+uint64(done))
		}
	}
	k.resched(t)
	return nil
}

// maxFaultRetries bounds how often a fault is made again after the memory
// manager died serving it.
const maxFaultRetries = 3

// pageFault asks the memory manager to resolve a fault at va in owner's
// address space, for waiting task t (t itself, or a task copying through
// owner's grant). It returns when t runs again, with the pager's verdict:
// EFAULT too when the pager said ok without mapping the page once too
// often (mmu_owner.go).
func (k *Kernel) pageFault(t, owner *Task, va uint64, ff ipc.FaultFlags) ipc.Errno {
	s, e := k.bus.lookupName(k.cfg.Pager, false)
	if e != 0 {
		return linux.EFAULT
	}
	c := k.cpuOf(t)
	c.charge(k.cfg.Profile.PageFaultNs)
	k.stats.PageFaults++
	owner.called |= serviceBit(s.id) // the pager keeps owner's space
	m := t.memory()
	w := k.waitFault(t, owner, va, ff&ipc.FaultWrite != 0)
	defer k.faultDone(owner, w)
	m.fault.msg = ipc.Message{Type: ipc.PageFault}
	m.fault.msg.SetWord(0, va)
	m.fault.msg.SetWord(1, uint64(ff))
	m.fault.msg.SetWord(2, uint64(owner.ep))
	if k.trace != nil {
		k.emit(Event{Kind: EvPageFault, CPU: c.id, T: c.now, Task: owner.ep, Word: va, Detail: faultText(ff)})
	}
	// A fault is idempotent: if mm dies serving it, or is down longer than
	// the bus waits, it is made again, and the bus holds it for the
	// restarted mm.
	for try := 0; ; try++ {
		k.send(t, ipc.ServiceEndpoint(s.id), &m.fault.msg, &m.fault.rep, nil, true)
		k.resched(t)
		if t.err != ipc.ErrServiceDied && t.err != ipc.ErrNoInstance || try == maxFaultRetries {
			break
		}
	}
	if t.err != 0 {
		return linux.EFAULT
	}
	if m.fault.rep.Errno != 0 {
		return ipc.Errno(m.fault.rep.Errno)
	}
	if k.stuck(t, owner, va, w.fixed) {
		return linux.EFAULT
	}
	if owner.mem != nil {
		if m.fault.rep.Word(0) == 1 {
			owner.mem.stats.MajorFaults++
		} else {
			owner.mem.stats.MinorFaults++
		}
	}
	return 0
}

func faultText(ff ipc.FaultFlags) string {
	s := "read"
	if ff&ipc.FaultWrite != 0 {
		s = "write"
	}
	if ff&ipc.FaultPresent != 0 {
		s += ", protection"
	}
	return s
}

// selfKill is the panic that ends the running task from inside a trap with
// a cause: runBody turns it into the task's death.
type selfKill struct {
	cause string
	code  int
}

// segv kills the running task t for a bad access at va (SIGSEGV's status).
func (k *Kernel) segv(t *Task, va uint64) {
	k.die(t, selfKill{cause: fmt.Sprintf("segmentation fault at %#x", va), code: 139})
}
