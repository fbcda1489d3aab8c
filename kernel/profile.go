package kernel

import (
	"fmt"
	"sort"
)

// Profile is a cost model: the virtual time the kernel charges for each of
// its actions. Results under different profiles show the same run on
// different machines.
//
// The bus's other models: a publish is a trap, RouteNs (the topic's
// lookup) and PublishNs per subscriber; a stream's frame is a trap and
// FrameNs; a grant, a receive or a cancel is a trap. Both delivery costs
// are a message's copy, so each profile sets them to its IPCNs.
type Profile struct {
	Name string
	// TrapNs is one user→kernel→user crossing (a system call's entry and
	// exit).
	TrapNs int64
	// SwitchNs is a context switch between tasks, address space included.
	SwitchNs int64
	// IPCNs is the kernel's work to deliver one message (lookup, checks,
	// the 64-byte copy), beyond the trap.
	IPCNs int64
	// CopyPsPerByte is the cost of a bulk copy, in picoseconds per byte.
	CopyPsPerByte int64
	// KernelCallNs is the dispatch of a request to a server placed in the
	// kernel (an indirect function call and its checks).
	KernelCallNs int64
	// RouteNs is the service bus's routing of one request.
	RouteNs int64
	// NotifyNs is posting one notification.
	NotifyNs int64
	// PublishNs is a publication's delivery to one subscriber: the copy
	// into its queue (pubsub.go); the topic's lookup is RouteNs.
	PublishNs int64
	// FrameNs is one stream frame's delivery to the client (stream.go).
	FrameNs int64
	// TickNs is the timer interrupt handler.
	TickNs int64
	// MemAccessNs is one Load or Store that hits in the TLB.
	MemAccessNs int64
	// TLBMissNs is a page-table walk after a TLB miss.
	TLBMissNs int64
	// PageFaultNs is the kernel's side of a page fault: the exception and
	// building the message to the memory manager.
	PageFaultNs int64
	// ProcessCrossNs is one system call of a server placed in a host
	// process: the round trip from the process to its proxy task in the
	// kernel and back, over a shared-memory window (gVisor flipcall).
	ProcessCrossNs int64
}

// Profiles maps the names used by --profile to cost models.
//
// ProcessCrossNs, in every profile but ideal, is a flipcall round trip
// between two processes as measured on the 2-core VMs mkos is developed
// on: 6–11 µs (DESIGN.md §7; `mkos bench --isolation process` measures it
// again); mach's is l4's scaled by the same ×20 as its IPC.
//
// l4: an L4/seL4-class kernel on a modern core. seL4's one-way IPC is 301
// cycles (89 ns at 3.4 GHz, Haswell; sel4.systems/About/Performance), so a
// round trip of two traps, two switches and two deliveries is ~180 ns.
//
// mach: a first-generation microkernel. Liedtke (SOSP '93, "Improving IPC by
// Kernel Design") measured Mach's IPC at ~20× L4's on the same 486 (about
// 100 µs against 5 µs round trip); the costs here are l4's scaled to that
// ratio, with switches hit hardest (cache and TLB refills).
//
// modern: a current x86-64 Linux-like machine with KPTI: getpid costs 236 ns
// with page-table isolation against 62 ns without (DESIGN.md §7); a context
// switch with its cache refill costs ~1 µs (lmbench lat_ctx class numbers).
var Profiles = map[string]Profile{
	"l4": {Name: "l4", TrapNs: 30, SwitchNs: 45, IPCNs: 15, CopyPsPerByte: 250,
		KernelCallNs: 5, RouteNs: 10, NotifyNs: 20, PublishNs: 15, FrameNs: 15, TickNs: 200,
		MemAccessNs: 1, TLBMissNs: 30, PageFaultNs: 100, ProcessCrossNs: 6000},
	"mach": {Name: "mach", TrapNs: 300, SwitchNs: 1200, IPCNs: 600, CopyPsPerByte: 1000,
		KernelCallNs: 5, RouteNs: 150, NotifyNs: 400, PublishNs: 600, FrameNs: 600, TickNs: 2000,
		MemAccessNs: 1, TLBMissNs: 30, PageFaultNs: 1000, ProcessCrossNs: 120000},
	// ideal charges nothing: only Compute takes time. The scheduling lab
	// uses it so that schedules match the textbook's, where switches are
	// free.
	"ideal": {Name: "ideal"},
	"modern": {Name: "modern", TrapNs: 236, SwitchNs: 1000, IPCNs: 150, CopyPsPerByte: 100,
		KernelCallNs: 5, RouteNs: 20, NotifyNs: 100, PublishNs: 150, FrameNs: 150, TickNs: 500,
		MemAccessNs: 1, TLBMissNs: 30, PageFaultNs: 500, ProcessCrossNs: 6000},
}

// ProfileNames returns the profile names in sorted order.
func ProfileNames() []string {
	names := make([]string, 0, len(Profiles))
	for n := range Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LookupProfile returns the named profile.
func LookupProfile(name string) (Profile, error) {
	p, ok := Profiles[name]
	if !ok {
		return Profile{}, fmt.Errorf("unknown cost profile %q (have %v)", name, ProfileNames())
	}
	return p, nil
}

// copyNs is the cost of copying n bytes.
func (p *Profile) copyNs(n int) int64 {
	return (int64(n)*p.CopyPsPerByte + 999) / 1000
}
