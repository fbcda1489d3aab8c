package kernel

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
)

// Frame owners: the pager is trusted with policy, not with isolation.
// LECTURE: frame-owners
//
// The memory manager decides which page goes in which frame, and when a
// page leaves memory; it reads and writes frames to do so (swap, files).
// What it cannot do is give one task's memory to another: the kernel
// knows which address space each frame belongs to and checks every VMMap.
//
//  1. VMAlloc gives the pager a frame that belongs to no task (holder 0).
//  2. Its first mapping must be into the pager itself, or at the page of a
//     task whose fault is in progress (the fault the pager is resolving;
//     for a copy through a grant, the fault is in the grant owner's
//     space). The frame then belongs to that task. With VMRequest.Share
//     the task's mapping is a shared one (MapShared memory, a shared file
//     mapping's page), and the frame is marked shared under that name.
//  3. A frame may be mapped again where it is mapped already, and
//     anywhere in its owner's space; a shared frame anywhere, under the
//     name it was shared with. Who may attach a shared segment is the
//     pager's policy (mm checks its owner and mode); the name only keeps
//     a pager's mix-up of frames from handing one object's page to the
//     users of another.
//  4. Anything else is EPERM, traced as a denial: another task's private
//     frame stays private. A frame is the pager's again only once it is
//     freed, and a freed frame is zeroed when it is allocated again.
//
// A grant gives the pager nothing to map: the kernel itself copies
// through it (grant.go), faulting pages in for the grant's owner.
//
// A fault the pager answers "done" without making the page accessible
// (no VMMap or VMProtect of that page with the access the fault needs)
// is made again at most maxUnresolved times; then the task gets SIGSEGV
// (a copy through a grant fails with EFAULT) and the trace says why.
// Without the bound a pager that only says "ok" keeps its client faulting
// forever.

// faultWait is a fault in progress in an address space.
type faultWait struct {
	vpn    uint64
	write  bool
	fixed  bool // the pager mapped the page with the access it needs
	active bool // in some space's faults
}

// maxUnresolved bounds how often a fault the pager claimed to resolve,
// without mapping, is made again before the task gets SIGSEGV.
const maxUnresolved = 3

// waitFault records a fault at va in owner's space for waiting task t,
// in progress until faultDone. The record is t's own, unless t already
// waits for a fault further up its trap (a server placed in the kernel
// copying through a grant while it serves t's fault).
func (k *Kernel) waitFault(t, owner *Task, va uint64, write bool) *faultWait {
	w := &t.memory().wait
	if w.active {
		w = new(faultWait)
	}
	*w = faultWait{vpn: va >> pteFrameShift, write: write, active: true}
	m := owner.memory()
	m.faults = append(m.faults, w)
	return w
}

// faultDone forgets fault w of owner (which may have died meanwhile).
func (k *Kernel) faultDone(owner *Task, w *faultWait) {
	w.active = false
	if owner.mem == nil {
		return
	}
	fs := owner.mem.faults
	for i, x := range fs {
		if x == w {
			owner.mem.faults = append(fs[:i], fs[i+1:]...)
			return
		}
	}
}

// faulting reports whether a fault at page vpn of m is in progress.
func (m *taskMem) faulting(vpn uint64) bool {
	for _, w := range m.faults {
		if w.vpn == vpn {
			return true
		}
	}
	return false
}

// fixed marks the faults at page vpn of m resolved by the entry pte.
func (m *taskMem) fixed(vpn uint64, pte uint32) {
	for _, w := range m.faults {
		if w.vpn == vpn && pte&ipc.PTEPresent != 0 && (!w.write || pte&ipc.PTEWritable != 0) {
			w.fixed = true
		}
	}
}

// mayMap checks that frame f may be mapped at va in t's space, whose
// entry is pte, for the pager by (nil when the pager runs in the kernel
// and so has no space of its own), and records whom a fresh frame now
// belongs to. A refusal is EPERM, traced against caller.
func (k *Kernel) mayMap(caller, by, t *Task, va uint64, pte uint32, f uint32, share uint64) ipc.Errno {
	m := &k.mem
	switch {
	case pte&ipc.PTEPresent != 0 && pte>>pteFrameShift == f:
		return 0 // in place: t has it already
	case m.share[f] != 0:
		if share == m.share[f] {
			return 0
		}
	case m.holder[f] == 0:
		if t == by || t.mem.faulting(va>>pteFrameShift) {
			m.holder[f], m.share[f] = t.ep, share
			return 0
		}
	case m.holder[f] == t.ep && share == 0:
		return 0 // t's own frame, elsewhere in its space; never shared after the fact
	}
	what := "private"
	switch {
	case m.share[f] != 0:
		what = fmt.Sprintf("shared (as %d, not %d)", m.share[f], share)
	case m.holder[f] == 0:
		what = "fresh" // ... and no fault of t's at that page
	}
	return k.deny(caller, fmt.Sprintf("map %s frame %d of %v into %v at %#x", what, f, m.holder[f], t.ep, va))
}

// stuck counts, for waiting task t, a fault at va in owner's space the
// pager said it resolved, and reports whether the pager has now said so
// maxUnresolved times in a row at that page without mapping it (fixed
// false), which it traces.
func (k *Kernel) stuck(t, owner *Task, va uint64, fixed bool) bool {
	u := &t.memory().unresolved
	vpn := va >> pteFrameShift
	switch {
	case fixed:
		u.n = 0
		return false
	case u.owner != owner.ep || u.vpn != vpn:
		u.owner, u.vpn, u.n = owner.ep, vpn, 0
	}
	if u.n++; u.n < maxUnresolved {
		return false
	}
	u.n = 0
	outcome := "SIGSEGV"
	if t != owner {
		outcome = "the copy through a grant fails with EFAULT"
	}
	k.unresolved(t, owner, va, outcome)
	return true
}

// unresolved traces a fault at va in owner's space that the pager claimed
// to resolve maxUnresolved times without mapping, for task t, and what t
// gets for it.
func (k *Kernel) unresolved(t, owner *Task, va uint64, outcome string) {
	if k.trace == nil {
		return
	}
	c := k.cpuOf(t)
	k.emit(Event{Kind: EvPageFault, CPU: c.id, T: c.now, Task: owner.ep, Word: va,
		Detail: fmt.Sprintf("unresolved: the pager said ok %d times without mapping; %s", maxUnresolved, outcome)})
}
