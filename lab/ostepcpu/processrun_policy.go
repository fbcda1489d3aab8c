package ostepcpu

import (
	"slices"

	"github.com/mkos/mkos/sched"
)

// process-run.py's switching as a scheduling policy. LECTURE: ostep-process-run-policy
//
// The script's scheduler switches in two ways (-S) and treats a process
// whose I/O just ended in two ways (-I). switchPolicy is those choices as
// a sched.Policy on a one-CPU kernel, where each of the script's
// processes is a task (processrun_kernel.go):
//
//   - Pick runs the next ready process after the one that ran last, in
//     process order, wrapping around, as the script's next_proc does.
//   - SWITCH_ON_END: while the process that holds the CPU has
//     instructions left, nobody else runs, even when it is blocked in an
//     I/O (Pick returns nil and the CPU idles).
//   - An I/O ends at an instant (a tick boundary). The script lets the
//     process that ran the last tick switch first, then ends the I/O. So a
//     process woken at this very instant is "fresh": Pick passes over it
//     while another process is ready (IO_RUN_LATER), or takes it first
//     (IO_RUN_IMMEDIATE); Preempts lets it take the CPU at once under
//     IO_RUN_IMMEDIATE.
//   - The kernel fires the wake-up before the running task traps at that
//     instant. A task whose CPU time is at the end of a burst (it is about
//     to block in its I/O or exit) is leaving: it is never preempted, and
//     the choice is made by the Pick that follows its trap.
type switchPolicy struct {
	switchOnEnd  bool
	runImmediate bool
	// now reads the CPU's virtual clock.
	now func() int64
	// totalNs[pid] is the CPU time of the process's whole program;
	// leaves[pid] holds the CPU times at which it blocks in an I/O.
	totalNs []int64
	leaves  []map[int64]bool

	ents   []*sched.Entity // by pid, in creation order
	pidOf  map[int]int     // pid by entity ID
	queue  []*sched.Entity
	wokeAt map[int]int64 // when each queued entity's I/O ended
	last   int           // the pid picked last, -1 before the first
}

func newSwitchPolicy(m *machine, now func() int64) *switchPolicy {
	p := &switchPolicy{switchOnEnd: m.switchOnEnd, runImmediate: m.runImmediate, now: now,
		pidOf: map[int]int{}, wokeAt: map[int]int64{}, last: -1}
	for _, pr := range m.procs {
		leaves := map[int64]bool{}
		for i, op := range pr.code {
			if op == doIO {
				leaves[int64(i+1)*instrNs] = true
			}
		}
		p.leaves = append(p.leaves, leaves)
		p.totalNs = append(p.totalNs, int64(len(pr.code))*instrNs)
	}
	return p
}

// Name is the policy's name.
func (p *switchPolicy) Name() string { return "process-run" }

// Add queues e; a task created is the next process, one woken or yielding
// has ended an I/O now.
func (p *switchPolicy) Add(e *sched.Entity, why sched.Why) {
	switch why {
	case sched.Created:
		p.pidOf[e.ID] = len(p.ents)
		p.ents = append(p.ents, e)
		delete(p.wokeAt, e.ID)
	case sched.Woken, sched.Yielded:
		p.wokeAt[e.ID] = p.now()
	default:
		delete(p.wokeAt, e.ID)
	}
	e.Queued = true
	p.queue = append(p.queue, e)
}

// Remove takes a queued e out.
func (p *switchPolicy) Remove(e *sched.Entity) {
	if i := slices.Index(p.queue, e); i >= 0 {
		p.queue = slices.Delete(p.queue, i, i+1)
	}
	e.Queued = false
}

// Len is the number of queued processes.
func (p *switchPolicy) Len() int { return len(p.queue) }

// Tick never preempts: the script switches only on I/O, at the end, or
// when an I/O ends.
func (p *switchPolicy) Tick(*sched.Entity) bool { return false }

// Preempts: under IO_RUN_IMMEDIATE, a process whose I/O ends now takes
// the CPU from one that is not leaving it anyway.
func (p *switchPolicy) Preempts(cur, woken *sched.Entity) bool {
	return p.runImmediate && p.fresh(woken) && !p.leaving(cur)
}

// Pick is next_proc, with the rules above.
func (p *switchPolicy) Pick() *sched.Entity {
	if p.switchOnEnd && p.last >= 0 && p.ents[p.last].RanNs < p.totalNs[p.last] {
		if owner := p.ents[p.last]; owner.Queued {
			return p.take(owner)
		}
		return nil // the owner is blocked: the CPU waits for it
	}
	var fresh *sched.Entity
	for _, e := range p.queue {
		if p.fresh(e) {
			fresh = e
		}
	}
	if fresh != nil && p.runImmediate {
		return p.take(fresh)
	}
	n := len(p.ents)
	for i := 1; i <= n; i++ {
		if e := p.ents[(p.last+i+n)%n]; e.Queued && e != fresh {
			return p.take(e)
		}
	}
	if fresh != nil {
		return p.take(fresh)
	}
	return nil
}

// take dequeues e as the process that runs.
func (p *switchPolicy) take(e *sched.Entity) *sched.Entity {
	p.Remove(e)
	p.last = p.pidOf[e.ID]
	return e
}

// fresh reports whether e's I/O ended at this instant.
func (p *switchPolicy) fresh(e *sched.Entity) bool {
	t, ok := p.wokeAt[e.ID]
	return ok && t == p.now()
}

// leaving reports whether cur is at the end of a burst: about to block in
// an I/O, or to exit.
func (p *switchPolicy) leaving(cur *sched.Entity) bool {
	pid, ok := p.pidOf[cur.ID]
	return ok && (cur.RanNs >= p.totalNs[pid] || p.leaves[pid][cur.RanNs])
}
