package ipc

import (
	"slices"
	"strings"
)

// KCall is a privileged kernel call, one bit of Priv.Calls. A task whose
// record lacks the bit gets EPERM from the call, and the kernel traces the
// denial. The calls every task may make (IPC to services it may call,
// Sleep, Load, Exit, …) have no bit.
type KCall uint32

// The privileged kernel calls. LECTURE: privileges
const (
	// KSpawn: Sys.Spawn.
	KSpawn KCall = 1 << iota
	// KKill: Sys.Kill of a task other than the caller.
	KKill
	// KSupervise: Sys.Supervise (the reincarnation server).
	KSupervise
	// KInject: Sys.Inject (rs and the fault controller).
	KInject
	// KVM: Sys.VM (the configured pager only).
	KVM
	// KDevice: Sys.Device, DevStart, DevDone (drivers).
	KDevice
	// KNotify: Sys.Notify to a task endpoint, not a service (pm's
	// signals, drivers' wake-ups).
	KNotify
	// KSetCred: Sys.SetCred, and spawning a child with other credentials
	// than one's own (pm).
	KSetCred
	// KExits: the services the task is an instance of hear of every
	// task's death (NotifyDeath, read with NextDeath), to free what a
	// dead client held.
	KExits
	// KUpdate: Sys.Update (hold a service's requests, switch it to a new
	// instance) and sending StateGet and StatePut: the reincarnation
	// server's live update.
	KUpdate
	// KRemote: Sys.Register of a RemoteName, making the task a remote
	// instance of a service other nodes export (the gateway).
	KRemote

	// KAll is every privileged call.
	KAll = KSpawn | KKill | KSupervise | KInject | KVM | KDevice | KNotify | KSetCred | KExits | KUpdate | KRemote
)

var kcallNames = []struct {
	c    KCall
	name string
}{
	{KSpawn, "spawn"}, {KKill, "kill"}, {KSupervise, "supervise"}, {KInject, "inject"},
	{KVM, "vm"}, {KDevice, "device"}, {KNotify, "notify"}, {KSetCred, "setcred"}, {KExits, "exits"}, {KUpdate, "update"},
	{KRemote, "remote"},
}

// String lists the calls as their names joined by commas ("-" for none).
func (c KCall) String() string {
	var out []string
	for _, n := range kcallNames {
		if c&n.c != 0 {
			out = append(out, n.name)
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ",")
}

// ParseKCall reads one call's name, as KCall.String writes it.
func ParseKCall(name string) (KCall, bool) {
	for _, n := range kcallNames {
		if n.name == name {
			return n.c, true
		}
	}
	return 0, false
}

// KCallNames returns every call's name, in bit order.
func KCallNames() []string {
	out := make([]string, len(kcallNames))
	for i, n := range kcallNames {
		out[i] = n.name
	}
	return out
}

// AnyName in a Priv list means every name: every service (Services), every
// device (Devices), or every service name that no configured server owns
// (Register).
const AnyName = "*"

// AnyOwned in Priv.Register means every service name, owned by a
// configured server or not: the kernel's record, and the reincarnation
// server's, which starts every server.
const AnyOwned = "**"

// Priv is a task's privilege record, MINIX 3's system.conf entry: what the
// kernel lets the task do. It is fixed when the task is spawned, and a
// task can only give a child a subset of its own (Subset).
type Priv struct {
	// Name names the record in listings and traces: "fs", "user", "rs".
	Name string
	// Calls are the privileged kernel calls the task may make.
	Calls KCall
	// Register lists the service names the task may register as an
	// instance of. A name a configured server owns is registered only by
	// a task whose list names it; AnyName covers the others.
	Register []string
	// Services lists the services the task may call, send to or notify
	// (AnyName: all). A service may also restrict its callers (the
	// kernel's Callers on the service).
	Services []string
	// Devices lists the devices the task may program (AnyName: all).
	Devices []string
}

// KernelPriv is the record of the kernel's own code and of tasks boot
// spawns without one: everything.
func KernelPriv() Priv {
	return Priv{Name: "kernel", Calls: KAll, Register: []string{AnyOwned}, Services: []string{AnyName}, Devices: []string{AnyName}}
}

// UserPriv is the record pm gives every program: no privileged call; it may
// call every service that does not restrict its callers, register no
// service and program no device.
func UserPriv() Priv {
	return Priv{Name: "user", Services: []string{AnyName}}
}

// Has reports whether the record allows kernel call c.
func (p *Priv) Has(c KCall) bool { return p.Calls&c == c }

// MayCall reports whether the record allows calling service name.
func (p *Priv) MayCall(name string) bool { return listed(p.Services, name) }

// MayDevice reports whether the record allows programming device name.
func (p *Priv) MayDevice(name string) bool { return listed(p.Devices, name) }

// MayRegister reports whether the record allows registering name; owned
// says whether a configured server owns the name.
func (p *Priv) MayRegister(name string, owned bool) bool {
	if slices.Contains(p.Register, name) || slices.Contains(p.Register, AnyOwned) {
		return true
	}
	return !owned && slices.Contains(p.Register, AnyName)
}

// Subset reports whether every privilege of p is one of parent's; owned
// says which service names configured servers own. When it is not, the
// string says what p has beyond parent.
func (p *Priv) Subset(parent *Priv, owned func(string) bool) (bool, string) {
	if extra := p.Calls &^ parent.Calls; extra != 0 {
		return false, "calls " + extra.String()
	}
	for _, n := range p.Register {
		var ok bool
		switch n {
		case AnyOwned:
			ok = slices.Contains(parent.Register, AnyOwned)
		case AnyName:
			ok = slices.ContainsFunc(parent.Register, func(s string) bool { return s == AnyName || s == AnyOwned })
		default:
			ok = parent.MayRegister(n, owned(n))
		}
		if !ok {
			return false, "register " + n
		}
	}
	for _, n := range p.Services {
		if !listed(parent.Services, n) {
			return false, "service " + n
		}
	}
	for _, n := range p.Devices {
		if !listed(parent.Devices, n) {
			return false, "device " + n
		}
	}
	return true, ""
}

// String renders the record on one line, for listings.
func (p *Priv) String() string {
	list := func(l []string) string {
		if len(l) == 0 {
			return "-"
		}
		return strings.Join(l, ",")
	}
	return "calls=" + p.Calls.String() + " register=" + list(p.Register) + " services=" + list(p.Services) + " devices=" + list(p.Devices)
}

// listed reports whether name is in l, or l has AnyName.
func listed(l []string, name string) bool {
	return slices.Contains(l, name) || slices.Contains(l, AnyName)
}
