package kernel

import (
	"github.com/mkos/mkos/ipc"
)

// Observing a running system. LECTURE: observe
//
// A live view (package live) watches the kernel while it runs: who holds
// each CPU, who waits in which run queue, what each task waits on. The
// kernel has no goroutines, so the view cannot read it from outside while
// a body runs; instead the engine calls the observer at a safe point — the
// start of every step of next(), where the last system call or event is
// done and the next is not begun — and the observer reads what it likes
// there, on the engine's goroutine. It may also block there (a paused
// view), sleep (a slowed one), or Spawn a task (a control): a spawn at a
// safe point is what a spawn by boot code would be.
//
// Cost when no observer is set: one nil check per step of the engine.

// Observe makes the engine call f at every safe point (nil: none). Set it
// before Run, or from f itself.
func (k *Kernel) Observe(f func()) { k.observe = f }

// CPUView is what one virtual CPU is doing at a safe point.
type CPUView struct {
	ID     int
	NowNs  int64
	BusyNs int64
	// Cur is the task holding the CPU, 0 when idle; CurName its name.
	Cur     ipc.Endpoint
	CurName string
	// Queue is the tasks ready to run on this CPU, in slot order (the
	// policy's own order is its secret).
	Queue []ipc.Endpoint
}

// CPUViews returns each CPU's current task and run queue.
func (k *Kernel) CPUViews() []CPUView {
	out := make([]CPUView, len(k.cpus))
	for i, c := range k.cpus {
		v := CPUView{ID: c.id, NowNs: c.now, BusyNs: c.busyNs}
		if c.cur != nil {
			v.Cur, v.CurName = c.cur.ep, c.cur.name
		}
		out[i] = v
	}
	for _, t := range k.tasks {
		if t != nil && t.state == stateReady && t.cpu < len(out) {
			out[t.cpu].Queue = append(out[t.cpu].Queue, t.ep)
		}
	}
	return out
}

// TaskView is one live task as a listing shows it.
type TaskView struct {
	Endpoint ipc.Endpoint
	Name     string
	State    string
	// WaitsOn is the task or service it is blocked on, 0 if none.
	WaitsOn ipc.Endpoint
	Prio    int
	RanNs   int64 // virtual CPU time used
	CPU     int   // the CPU it runs or last ran on
	Pinned  bool
	// Services are the services it is an instance of.
	Services []string
	// KernelThread: the kernel's thread of a server placed in the kernel.
	KernelThread bool
}

// TaskViews returns the live tasks in slot order.
func (k *Kernel) TaskViews() []TaskView {
	var out []TaskView
	for _, t := range k.tasks {
		if t == nil || !t.alive() {
			continue
		}
		v := TaskView{Endpoint: t.ep, Name: t.name, State: t.state.String(), Prio: t.prio,
			RanNs: t.ent.RanNs, CPU: t.cpu, Pinned: t.pin, KernelThread: t.kthread}
		switch {
		case t.blockedOn != nil:
			v.WaitsOn = t.blockedOn.ep
		case t.state == stateWaitService || t.state == stateSending || t.state == stateAwaitReply:
			v.WaitsOn = t.dst
		}
		for _, s := range t.services {
			v.Services = append(v.Services, s.name)
		}
		out = append(out, v)
	}
	return out
}

// Stop ends the run at the engine's next step, as a time limit reached
// then would: Run stops every task and returns. Call it at a safe point
// (from an observer).
func (k *Kernel) Stop() { k.limit, k.bound = -1, -1 }
