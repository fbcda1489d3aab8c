package schedlab

import (
	"fmt"

	"github.com/mkos/mkos/sched"
)

// The lab's wrapper around the real policy. LECTURE: sched-lab-instants
//
// Vocabulary: an instant is a tick boundary. In the lab everything happens
// at instants: a unit is a whole number of ticks, jobs need whole units, and
// the ideal cost profile charges nothing for traps, switches or ticks.
//
// At an instant T, OSTEP's simulators (and the small kernel of sched's own
// tests) do this, in this order:
//
//  1. charge the tick that just ended to the job that ran it (its slice
//     and allotment; mlfq's boost);
//  2. let that job exit, or start an I/O, if its CPU burst is over;
//  3. admit the jobs that start at T, then those whose I/O is done;
//  4. pick who runs next.
//
// The kernel fires every event due at T — the tick, timers — before any
// task's code runs at T. So a job whose burst ends at T is still running
// when the tick asks the policy whether to preempt it: step 1 answers
// before step 2 could happen. And the lab task (labtask.go) needs the CPU
// for a moment to do step 3. The wrapper makes what the kernel tells the
// policy add up to the four steps:
//
//   - A job that is leaving — its CPU time is at the end of a burst, and it
//     has run since it was picked — is never preempted: Tick and Preempts
//     say no, and the job exits or calls for its I/O as soon as it runs on.
//     Without this, the job would go back to the run queue with nothing
//     left to compute, and a lottery would count its tickets in the next
//     draw, or mlfq would start its I/O late.
//   - The lab task and the idle task are never shown to the policy. The lab
//     task takes the CPU at once when it wakes; the job it takes it from is
//     parked here, not handed back to the policy. A job the lab task admits
//     that the policy says would preempt the parked job marks it; when the
//     lab task is done, the parked job resumes as if nothing happened, or
//     goes back to the policy as preempted.
//   - The idle task runs when the policy has nothing to run. The kernel
//     stops its clock on an idle CPU and calls no Tick there; with the idle
//     task the clock goes on, and each of its ticks reaches the policy as
//     Tick(nil), so mlfq's boost counts idle time as mlfq.py does. It also
//     means no job ever wakes on an idle CPU, which the kernel would give
//     it directly, without Add and Pick (no fresh quantum, no mlfq rules).
//
// The lab task wakes at every instant while it has work pending, always by
// a timer set at the previous instant. The tick due at T is queued by the
// tick at T-1, before the lab task runs then, so at T the tick always fires
// first and the lab task never holds the CPU at a tick.
//
// What the policy itself must do as mlfq.py does (the order of its boost)
// is the policy's business: sched.Params.BoostLowestFirst.
//
// Rejected: jobs that compute a hair less than their burst so that they
// leave before the tick (the next job is then charged a tick it has not
// run); a second CPU for the helper tasks (CPU clocks drift apart between
// events, and a wakeup lands after a tick it should precede).
type labPolicy struct {
	inner sched.Policy
	// ends[j] holds the CPU times, in ns, at which job j's bursts end.
	ends []map[int64]bool

	// Who is who, by entity ID (the task's slot). The lab announces each
	// task it spawns; Add(Created) takes the announcement.
	kinds     map[int]taskKind
	jobOf     map[int]int
	expecting bool
	expect    taskKind
	expectJob int

	// Entities held here, out of the policy's sight.
	lab, idle, parked *sched.Entity
	// parkedPreempt: a job the lab task admitted preempts the parked one.
	parkedPreempt bool

	ranAtPick map[int]int64 // RanNs of each job when it was last picked
	states    []PolicyState // one per tick charged, in order
	err       error         // the first broken assumption
}

// taskKind says what a task is to the lab.
type taskKind uint8

const (
	kindJob  taskKind = iota // a job of the workload
	kindLab                  // the lab task
	kindIdle                 // the idle task
)

// PolicyState is the policy's view of the job that ran a tick, taken when
// the tick is charged to it: mlfq's level (0 the highest), the ticks left
// in its slice and the slices left in its allotment, before charging.
type PolicyState struct {
	// Job is the job's number, -1 for an idle tick.
	Job                           int
	Level, QuantumLeft, AllotLeft int
}

func newLabPolicy(inner sched.Policy, w *Workload) *labPolicy {
	p := &labPolicy{inner: inner, kinds: map[int]taskKind{}, jobOf: map[int]int{}, ranAtPick: map[int]int64{}}
	for j := range w.Jobs {
		ends := map[int64]bool{}
		var t int64
		for _, b := range w.bursts(j) {
			t += b * w.tickNs()
			ends[t] = true
		}
		p.ends = append(p.ends, ends)
	}
	return p
}

// announce tells p that the next task created is of kind k (job j).
func (p *labPolicy) announce(k taskKind, j int) {
	p.expecting, p.expect, p.expectJob = true, k, j
}

// register records the task in slot id as announced, if Add has not.
func (p *labPolicy) register(id int) {
	if p.expecting {
		p.take(id)
	}
}

func (p *labPolicy) take(id int) {
	p.kinds[id] = p.expect
	if p.expect == kindJob {
		p.jobOf[id] = p.expectJob
	}
	p.expecting = false
}

func (p *labPolicy) kind(e *sched.Entity) taskKind { return p.kinds[e.ID] }

// fail records the first broken assumption; Run reports it.
func (p *labPolicy) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("schedlab: "+format, args...)
	}
}

// leaving reports whether job e is about to exit or start an I/O.
func (p *labPolicy) leaving(e *sched.Entity) bool {
	j, ok := p.jobOf[e.ID]
	return ok && p.kind(e) == kindJob && e.RanNs > p.ranAtPick[e.ID] && p.ends[j][e.RanNs]
}

// hold keeps e out of the policy, marked queued for the kernel's sake.
func hold(slot **sched.Entity, e *sched.Entity) {
	*slot = e
	e.Queued = true
}

// unhold returns the entity in slot, if any, and empties the slot.
func unhold(slot **sched.Entity) *sched.Entity {
	e := *slot
	if e != nil {
		e.Queued = false
		*slot = nil
	}
	return e
}

func (p *labPolicy) Name() string { return p.inner.Name() }

func (p *labPolicy) Add(e *sched.Entity, why sched.Why) {
	if why == sched.Created && p.expecting {
		p.take(e.ID)
	}
	switch {
	case p.kind(e) == kindLab:
		hold(&p.lab, e)
	case p.kind(e) == kindIdle:
		hold(&p.idle, e)
	case why == sched.Preempted && p.lab != nil:
		hold(&p.parked, e) // the lab task takes the CPU from e
		p.parkedPreempt = false
	default:
		p.inner.Add(e, why)
	}
}

func (p *labPolicy) Remove(e *sched.Entity) {
	switch e {
	case p.lab:
		unhold(&p.lab)
	case p.idle:
		unhold(&p.idle)
	case p.parked:
		unhold(&p.parked)
	default:
		p.inner.Remove(e)
	}
}

// Pick runs the lab task first, then the parked job, then the policy's
// choice, then the idle task.
func (p *labPolicy) Pick() *sched.Entity {
	if e := unhold(&p.lab); e != nil {
		return e
	}
	if e := unhold(&p.parked); e != nil {
		if !p.parkedPreempt || p.leaving(e) {
			return e
		}
		p.inner.Add(e, sched.Preempted)
	}
	if e := p.inner.Pick(); e != nil {
		p.ranAtPick[e.ID] = e.RanNs
		return e
	}
	return unhold(&p.idle)
}

// Tick charges the tick to the job that ran it, or to no one when the idle
// task ran it; a leaving job is not preempted.
func (p *labPolicy) Tick(cur *sched.Entity) bool {
	switch {
	case cur == nil || p.kind(cur) == kindIdle:
		p.states = append(p.states, PolicyState{Job: -1})
		p.inner.Tick(nil)
		return false
	case p.kind(cur) == kindLab:
		p.fail("the lab task held the CPU at a tick")
		return false
	}
	p.states = append(p.states, PolicyState{Job: p.jobOf[cur.ID], Level: cur.Level,
		QuantumLeft: cur.QuantumLeft, AllotLeft: cur.AllotLeft})
	return p.inner.Tick(cur) && !p.leaving(cur)
}

// Preempts lets the lab task in at once, records whether a job it admits
// preempts the parked job, and never preempts a leaving job.
func (p *labPolicy) Preempts(cur, woken *sched.Entity) bool {
	switch {
	case p.kind(woken) == kindLab || p.kind(cur) == kindIdle:
		return true
	case p.kind(woken) == kindIdle:
		return false
	case p.kind(cur) == kindLab:
		if p.parked != nil && !p.leaving(p.parked) && p.inner.Preempts(p.parked, woken) {
			p.parkedPreempt = true
		}
		return false
	}
	return !p.leaving(cur) && p.inner.Preempts(cur, woken)
}

func (p *labPolicy) Len() int {
	n := p.inner.Len()
	for _, e := range []*sched.Entity{p.lab, p.idle, p.parked} {
		if e != nil {
			n++
		}
	}
	return n
}
