package kernel

import (
	"github.com/mkos/mkos/sched"
)

// cpu is one virtual CPU: its clock, the task it runs, its run queue.
type cpu struct {
	id   int
	now  int64 // this CPU's virtual clock, ns since boot
	cur  *Task // the task holding the CPU; nil when idle
	last *Task // the task whose context is loaded (the last to run)
	rq   sched.Policy
	// resched asks for a scheduling decision at the end of the current
	// kernel action (a woken task may preempt cur).
	resched bool

	tlb tlb

	switches int64
	busyNs   int64
}

// charge adds ns of kernel time to c's clock, and to the system time of
// the task holding c.
func (c *cpu) charge(ns int64) {
	c.now += ns
	if c.cur != nil {
		c.cur.sysNs += ns
	}
}

// cpuOf returns the CPU t runs or last ran on.
func (k *Kernel) cpuOf(t *Task) *cpu { return k.cpus[t.cpu] }

// setCur gives c to t (nil: idle), charging a context switch when the task
// changes. LECTURE: context-switch
func (k *Kernel) setCur(c *cpu, t *Task) {
	c.cur = t
	if t == nil {
		return
	}
	t.state = stateRunning
	t.cpu = c.id
	if c.last == t {
		return
	}
	prev := c.last
	c.last = t
	if !k.cfg.Memory.TLBTagged {
		c.tlb.flush()
	}
	c.switches++
	k.stats.Switches++
	c.charge(k.cfg.Profile.SwitchNs)
	if k.trace != nil {
		k.emit(Event{Kind: EvSwitch, CPU: c.id, T: c.now, Task: endpointOf(prev), Peer: t.ep, Name: t.name, Word: uint64(c.rq.Len())})
	}
}

// dispatch gives an idle c the next task from its run queue.
func (k *Kernel) dispatch(c *cpu) {
	if c.cur != nil {
		return
	}
	e := c.rq.Pick()
	if e == nil {
		e = k.steal(c)
	}
	if e != nil {
		k.setCur(c, k.tasks[e.ID])
	}
}

// steal is the load balancer: an idle CPU takes the next task of the CPU
// with the longest run queue (lowest id on ties). Pinned tasks stay.
// LECTURE: load-balancing
func (k *Kernel) steal(c *cpu) *sched.Entity {
	if len(k.cpus) == 1 || k.cfg.GlobalQueue {
		return nil
	}
	var from *cpu
	for _, o := range k.cpus {
		if o != c && o.rq.Len() > 0 && (from == nil || o.rq.Len() > from.rq.Len()) {
			from = o
		}
	}
	if from == nil {
		return nil
	}
	e := from.rq.Pick()
	if k.tasks[e.ID].pin {
		from.rq.Add(e, sched.Preempted)
		return nil
	}
	k.stats.Migrations++
	c.now = max(c.now, from.now)
	return e
}

// balance lets every idle CPU steal work; the clock tick calls it.
func (k *Kernel) balance() {
	for _, c := range k.cpus {
		if c.cur == nil {
			k.dispatch(c)
		}
	}
}

// ready makes t runnable: onto an idle CPU at once, else into a run queue.
// The queue's CPU reschedules at the end of the current action if t
// preempts its running task. now is the time of the waking action.
func (k *Kernel) ready(t *Task, why sched.Why, now int64) {
	c := k.placeCPU(t)
	t.state = stateReady
	t.cpu = c.id
	c.rq.Add(&t.ent, why)
	if c.cur == nil {
		// An idle CPU takes it at once, but through its policy, which
		// sees every wake-up (a fresh quantum, MLFQ's rules on I/O).
		c.now = max(c.now, now)
		k.dispatch(c)
		k.ensureTick(c.now)
		return
	}
	if c.rq.Preempts(&c.cur.ent, &t.ent) {
		c.resched = true
	}
}

// placeCPU picks the CPU a woken task goes to: its own, unless that one is
// busy and another is idle (lowest id first) and the task is not pinned.
func (k *Kernel) placeCPU(t *Task) *cpu {
	home := k.cpus[t.cpu]
	if home.cur == nil || t.pin {
		return home
	}
	for _, c := range k.cpus {
		if c.cur == nil && c.rq.Len() == 0 {
			return c
		}
	}
	return home
}

// block takes the running t off its CPU into state s; the CPU runs next, if
// given (a direct handoff), or else whatever its run queue picks.
func (k *Kernel) block(t *Task, s state, next *Task) {
	c := k.cpuOf(t)
	t.state = s
	t.token++
	if c.cur == t {
		c.cur = nil
		if next != nil {
			k.setCur(c, next)
		} else {
			k.dispatch(c)
		}
	}
}

// preempt moves c's running task back to the run queue and picks again.
func (k *Kernel) preempt(c *cpu, why sched.Why) {
	c.resched = false
	t := c.cur
	if t == nil || c.rq.Len() == 0 {
		return
	}
	c.cur = nil
	t.state = stateReady
	c.rq.Add(&t.ent, why)
	k.dispatch(c)
}

// earliest returns the busy CPU with the smallest clock (lowest id on ties),
// or nil when every CPU is idle.
func (k *Kernel) earliest() *cpu {
	var best *cpu
	for _, c := range k.cpus {
		if c.cur != nil && (best == nil || c.now < best.now) {
			best = c
		}
	}
	return best
}

// next advances the simulation until a task must run its own code, and
// returns it: events are fired and Compute time is burnt here, in time
// order. It returns nil when nothing can ever run again, the time limit is
// reached, or the system halted. LECTURE: engine-step
func (k *Kernel) next() *Task {
	if k.observe != nil {
		k.observe() // a safe point (observe.go)
	}
	if len(k.cpus) == 1 {
		// The common case, checked first: one CPU whose task goes on, with
		// no event due before its clock.
		c := k.cpus[0]
		if t := c.cur; t != nil && !c.resched && t.computeLeft == 0 && k.halted == nil &&
			(len(k.events) == 0 || c.now < k.events[0].at) && c.now <= k.bound {
			return t
		}
	}
	for k.halted == nil {
		for _, c := range k.cpus {
			if c.resched {
				k.preempt(c, sched.Preempted)
			}
		}
		c := k.earliest()
		ev := k.events.peek()
		if ev != nil && (c == nil || ev.at <= c.now) {
			if k.cfg.MaxTimeNs > 0 && ev.at > k.cfg.MaxTimeNs {
				k.cutOff = true
				return nil
			}
			if k.gate != nil && ev.at > k.gate.horizon {
				if !k.gate.wait() {
					return nil
				}
				continue
			}
			k.stepAt = max(k.stepAt, ev.at)
			k.fire(k.events.pop())
			if k.observe != nil {
				k.observe()
			}
			continue
		}
		if c == nil {
			if k.gate != nil && k.limit >= 0 && k.gate.wait() {
				continue // in a group an idle kernel waits for input
			}
			return nil
		}
		if c.now > k.limit {
			k.cutOff = true
			return nil
		}
		if k.gate != nil && c.now > k.gate.horizon {
			if !k.gate.wait() {
				return nil
			}
			continue
		}
		t := c.cur
		if t.computeLeft > 0 {
			k.burn(c, t, ev)
			if k.observe != nil {
				k.observe()
			}
			continue
		}
		return t
	}
	return nil
}

// burn runs t's Compute on c until it finishes or the next event is due.
func (k *Kernel) burn(c *cpu, t *Task, ev *event) {
	d := t.computeLeft
	if ev != nil && ev.at-c.now < d {
		d = max(ev.at-c.now, 0)
	}
	if k.cfg.MaxTimeNs > 0 && k.cfg.MaxTimeNs-c.now < d {
		d = max(k.cfg.MaxTimeNs-c.now, 0) + 1
	}
	t.computeLeft -= d
	t.ent.RanNs += d
	c.busyNs += d
	c.now += d
	if t.computeLeft < 0 {
		t.computeLeft = 0
	}
}
