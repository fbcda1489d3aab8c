package kernel

import (
	"slices"
	"strconv"

	"github.com/mkos/mkos/ipc"
)

// Privileges. LECTURE: privileges
//
// Every task carries a privilege record (ipc.Priv), fixed when it is
// spawned, as MINIX 3's system.conf gives each boot process one: which
// privileged kernel calls it may make, which service names it may
// register, which services it may call and which devices it may program.
// The kernel checks the record on every privileged call; a refusal is
// EPERM and an EvDeny trace event naming what was refused.
//
//  1. A task boot spawns without a record gets the kernel's (everything);
//     boot gives servers and programs theirs explicitly.
//  2. A child spawned by a task gets the record in its TaskSpec, which must
//     be a subset of the parent's, or the parent's own when the spec has
//     none. Its credentials likewise: the parent's, unless the parent may
//     set credentials (pm).
//  3. Code running in the kernel — a server placed there, inside the trap of
//     the task it serves, or a kernel thread — acts with the kernel's
//     record, whatever the task's own.
//  4. A service name configured for a server (Declare, Place) is owned:
//     only a task whose record names it may register it. A service may
//     also name the only records whose tasks may call it (Restrict):
//     "disk may be called by fs only".

// kernelPriv is the record of code in the kernel.
var kernelPriv = ipc.KernelPriv()

// privOf returns the record t acts with now: the kernel's inside an
// in-kernel handler or in a kernel thread.
func (k *Kernel) privOf(t *Task) *ipc.Priv {
	if t == nil || t.depth > 0 || t.kthread || t.priv == nil {
		return &kernelPriv
	}
	return t.priv
}

// owned reports whether a configured server owns service name.
func (k *Kernel) owned(name string) bool {
	s := k.bus.byName[name]
	return s != nil && s.owned
}

// allow checks that t may make privileged call c; it traces a refusal.
func (k *Kernel) allow(t *Task, c ipc.KCall, what string) ipc.Errno {
	if k.privOf(t).Has(c) {
		return 0
	}
	return k.deny(t, c.String()+" "+what)
}

// deny traces a refused call and returns EPERM.
func (k *Kernel) deny(t *Task, what string) ipc.Errno {
	k.stats.Denied++
	if k.trace != nil {
		k.emit(Event{Kind: EvDeny, T: k.cpuOf(t).now, CPU: t.cpu, Task: t.ep, Name: t.name, Detail: what})
	}
	return ipc.ErrPerm
}

// mayCall checks that t may send to service s. A service's callers always
// include the supervisor, which pings every service it watches.
func (k *Kernel) mayCall(t *Task, s *service) ipc.Errno {
	p := k.privOf(t)
	if p == &kernelPriv {
		return 0
	}
	restricted := s.callers != nil && !slices.Contains(s.callers, p.Name) && !p.Has(ipc.KSupervise)
	if !p.MayCall(s.name) || restricted {
		return k.deny(t, "call "+s.name)
	}
	return 0
}

// mayReach checks that t may send to task r directly: as a call to each
// service r is an instance of, so a task endpoint is no way around a
// service's restriction.
func (k *Kernel) mayReach(t, r *Task) ipc.Errno {
	for _, s := range r.services {
		if e := k.mayCall(t, s); e != 0 {
			return e
		}
	}
	return 0
}

// mayRegister checks that t may register service name.
func (k *Kernel) mayRegister(t *Task, name string) ipc.Errno {
	if k.privOf(t).MayRegister(name, k.owned(name)) {
		return 0
	}
	return k.deny(t, "register "+name)
}

// childPriv returns the record and credentials of a child parent spawns
// with spec (parent nil: boot), or EPERM when spec asks for more than the
// parent has.
func (k *Kernel) childPriv(parent *Task, spec *ipc.TaskSpec) (*ipc.Priv, ipc.Cred, ipc.Errno) {
	pp := k.privOf(parent)
	var cred ipc.Cred
	if parent != nil {
		cred = parent.cred
	}
	priv := pp
	if parent != nil && parent.priv != nil && pp != &kernelPriv {
		priv = parent.priv
	}
	if spec.Priv != nil {
		if ok, extra := spec.Priv.Subset(pp, k.owned); !ok {
			return nil, cred, k.deny(parent, "spawn "+spec.Name+" with "+extra)
		}
		p := *spec.Priv
		priv = &p
	}
	if spec.Cred != nil && *spec.Cred != cred {
		if !pp.Has(ipc.KSetCred) {
			return nil, cred, k.deny(parent, "spawn "+spec.Name+" as uid "+strconv.FormatUint(uint64(spec.Cred.UID), 10))
		}
		cred = *spec.Cred
	}
	if parent != nil && pp != &kernelPriv && spec.Prio < parent.prio {
		return nil, cred, k.deny(parent, "spawn "+spec.Name+" above its own priority")
	}
	return priv, cred, 0
}

// Restrict lets only tasks whose privilege record is named in callers call
// service name (nil: anyone); code in the kernel always may. Boot uses it
// for the privilege table's "callers" (disk: fs only).
func (k *Kernel) Restrict(name string, callers []string) error {
	s, e := k.bus.lookupName(name, true)
	if e != 0 {
		return e
	}
	s.owned = true
	s.callers = slices.Clone(callers)
	return nil
}

// Priv returns the privilege record of the live task ep.
func (k *Kernel) Priv(ep ipc.Endpoint) (ipc.Priv, bool) {
	t, e := k.lookup(ep)
	if e != 0 {
		return ipc.Priv{}, false
	}
	return *k.privOf(t), true
}

// Callers returns the records a service admits (nil: anyone).
func (k *Kernel) Callers(name string) []string {
	if s := k.bus.byName[name]; s != nil {
		return slices.Clone(s.callers)
	}
	return nil
}

// mayDevice checks that t may program device name.
func (k *Kernel) mayDevice(t *Task, name string) ipc.Errno {
	p := k.privOf(t)
	if p.Has(ipc.KDevice) && p.MayDevice(name) {
		return 0
	}
	return k.deny(t, "device "+name)
}

// mayKill checks that t may kill r. Nobody kills a kernel thread: it is
// the kernel's own (a server placed in the kernel takes its interrupts
// there), and without it the server's device would hang forever.
func (k *Kernel) mayKill(t, r *Task) ipc.Errno {
	if r.kthread {
		return k.deny(t, "kill "+r.name+" (a kernel thread)")
	}
	return k.allow(t, ipc.KKill, r.name)
}
