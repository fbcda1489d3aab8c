package kernel

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
)

// maxDeaths bounds the death notices kept for the supervisor.
const maxDeaths = 1024

// kill ends task t (exit, fault or kill) at time now. LECTURE: task-death
//
//  1. Take t off its CPU or out of its run queue and out of any queue it is
//     blocked in.
//  2. Remove t from its services, then release every task blocked on t:
//     senders to t fail with ErrDead, except requests routed by the bus,
//     which are routed again (to another instance, or they wait for the
//     restart); callers awaiting t's reply fail with ErrServiceDied
//     (through the bus) or ErrDead.
//  3. Bump the slot's generation so every endpoint naming t is stale, and
//     free the slot.
//  4. Notify the supervisor, and the services that watch exits
//     (exits.go), so that they free what t held.
//
// A task inside a handler placed in the kernel (mono, hybrid: depth > 0)
// is not killed there: the handler may hold its server's state (the file
// server's busy flag and queue, a transaction), and unwinding it midway
// would leave that state held forever, and every later caller stuck. As
// in a real kernel, the kill is noted and takes effect when the task
// leaves the kernel (endHandler): the request it was in finishes first.
func (k *Kernel) kill(t *Task, cause string, code int, now int64) {
	if !t.alive() {
		return
	}
	if t.depth > 0 && !t.co.done && k.halted == nil && !k.ended {
		if t.doomed == nil {
			t.doomed = &doom{cause: cause, code: code}
		}
		return
	}
	t.doomed = nil
	c := k.cpuOf(t)
	wasCur := c.cur == t
	if wasCur {
		c.cur = nil
	} else if t.state == stateReady && t.ent.Queued {
		c.rq.Remove(&t.ent)
	}
	unlink(t)
	if t.blockedOn != nil && t.state == stateAwaitReply {
		t.blockedOn.serving--
	}
	server := t.blockedOn
	t.blockedOn = nil
	k.disinherit(server)
	t.kwait = nil
	if t.callSvc != nil {
		t.callSvc.end(t, ipc.ErrDead, now)
	}
	t.state = stateDead
	t.killed = true
	t.cause, t.exitCode = cause, code
	k.unregister(t) // first, so release cannot route t's requests back to t
	k.release(t, now)
	k.dropHolds(t, now)
	k.busExit(t, now)
	k.freeMemory(t)
	slot := t.slot()
	k.gens[slot] = max((k.gens[slot]+1)&0x7fffffff, 1) // 31 bits: bit 63 of an Endpoint marks a service
	k.free = append(k.free, slot)
	k.tasks[slot] = nil
	k.live--
	k.stats.Deaths++
	if k.trace != nil {
		k.emit(Event{Kind: EvDeath, T: now, Task: t.ep, Name: t.name, Detail: cause})
	}
	k.tellSupervisor(t, now)
	k.tellWatchers(t, now)
	k.publishExit(t, now)
	if k.supervisor == t {
		k.supervisor = nil
	}
	k.reincarnate(t, now)
	if !t.co.onStack && !t.co.done {
		k.stop = append(k.stop, t)
	}
	if wasCur {
		k.dispatch(c)
	}
}

// doom is a kill waiting for its task to leave the kernel.
type doom struct {
	cause string
	code  int
}

// endHandler runs when t returns from a handler placed in the kernel: at
// the outermost one, a kill that arrived meanwhile takes effect.
func (k *Kernel) endHandler(t *Task) {
	if t.depth == 0 && t.doomed != nil {
		d := t.doomed
		k.kill(t, d.cause, d.code, k.cpuOf(t).now)
	}
}

// release fails or re-routes everything blocked on dead t.
func (k *Kernel) release(t *Task, now int64) {
	for s := t.senders.pop(); s != nil; s = t.senders.pop() {
		s.blockedOn = nil
		if s.callSvc != nil && s.dst.IsService() {
			k.route(s, s.callSvc, now)
			continue
		}
		k.fail(s, ipc.ErrDead, now)
	}
	for w := t.waiters.pop(); w != nil; w = t.waiters.pop() {
		e := ipc.ErrDead
		if w.state == stateAwaitReply && w.callSvc != nil {
			e = ipc.ErrServiceDied
		}
		w.blockedOn = nil
		k.fail(w, e, now)
	}
}

// tellSupervisor queues a death notice and notifies the supervisor.
//
// Notices are kept while there is no live supervisor (bounded), so a
// supervisor that is itself restarted catches up with what happened.
func (k *Kernel) tellSupervisor(t *Task, now int64) {
	if k.supervisor == nil && k.keep == nil {
		return // no supervisor has ever been set up: nobody will read
	}
	if len(k.deaths) == maxDeaths {
		k.deaths = k.deaths[1:]
	}
	k.deaths = append(k.deaths, ipc.Death{Task: t.ep, Name: t.name, Cause: t.cause, Code: t.exitCode, TimeNs: now})
	if s := k.supervisor; s != nil && s.alive() {
		k.notify(s, ipc.NotifyDeath, now)
	}
}

// KeepAlive spawns the task spec describes and respawns it whenever it
// dies, at once: the one task the kernel itself restarts (the
// reincarnation server, which restarts everything else). The new instance
// must call Supervise again; the death notices that arrived meanwhile are
// waiting for it.
func (k *Kernel) KeepAlive(spec ipc.TaskSpec) (ipc.Endpoint, error) {
	if k.keep != nil {
		return 0, fmt.Errorf("keepalive %s: the kernel already keeps %s alive", spec.Name, k.keepSpec.Name)
	}
	t, e := k.spawn(nil, spec, k.Now())
	if e != 0 {
		return 0, fmt.Errorf("keepalive %s: %w", spec.Name, e)
	}
	k.keep, k.keepSpec = t, spec
	return t.ep, nil
}

// reincarnate respawns the kept-alive task after its death.
func (k *Kernel) reincarnate(dead *Task, now int64) {
	if k.keep != dead || k.halted != nil {
		return
	}
	t, e := k.spawn(nil, k.keepSpec, now)
	if e != 0 {
		k.keep = nil
		return
	}
	k.keep = t
	if k.trace != nil {
		k.emit(Event{Kind: EvRestart, T: now, Task: t.ep, Name: t.name, Detail: "kept alive by the kernel"})
	}
}

// Panic is a kernel panic: a server placed in the kernel panicked, and the
// whole system stopped.
type Panic struct {
	Server  string
	Request ipc.Message
	Caller  ipc.Endpoint
	TimeNs  int64
	Value   any
}

func (p *Panic) Error() string {
	return fmt.Sprintf("kernel panic at %s: in-kernel server %q panicked serving %s from task %v: %v",
		FormatNs(p.TimeNs), p.Server, ipc.TypeName(p.Server, p.Request.Type), p.Caller, p.Value)
}

// halt stops the whole system: nothing runs after a kernel panic.
func (k *Kernel) halt(p *Panic) {
	if k.halted != nil {
		return
	}
	k.halted = p
	if k.trace != nil {
		k.emit(Event{Kind: EvPanic, T: p.TimeNs, Task: p.Caller, Svc: p.Server, Detail: fmt.Sprint(p.Value)})
	}
}

// FormatNs renders virtual nanoseconds for people: 1.5ms, 20µs, 300ns.
func FormatNs(ns int64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.3fs", float64(ns)/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3fms", float64(ns)/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3fµs", float64(ns)/1e3)
	}
	return fmt.Sprintf("%dns", ns)
}
