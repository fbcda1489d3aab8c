package sched

import "math"

// stcf runs the task with the least time left to completion (LengthNs -
// RanNs) first: shortest time-to-completion first, also called preemptive
// SJF or SRTF. A woken or new task that needs less than the running one
// has left takes the CPU at once. Equal times run in ID order; tasks of
// unknown length run after every declared one.
type stcf struct{ q queue }

func newSTCF(Params) Policy { return &stcf{} }

func (p *stcf) Name() string { return "stcf" }

// MayStarve reports true (Starver): a long job waits as long as shorter
// ones keep coming.
func (p *stcf) MayStarve() bool      { return true }
func (p *stcf) Add(e *Entity, _ Why) { p.q.insertSorted(e, byRemaining) }
func (p *stcf) Remove(e *Entity)     { p.q.remove(e) }
func (p *stcf) Pick() *Entity        { return p.q.popFront() }
func (p *stcf) Len() int             { return p.q.n }

// Tick preempts cur only if a queued task now needs strictly less; that
// happens when the kernel skipped Preempts, since cur's time left only
// shrinks while it runs.
func (p *stcf) Tick(cur *Entity) bool {
	return cur != nil && p.q.head != nil && remainingNs(p.q.head) < remainingNs(cur)
}

func (p *stcf) Preempts(cur, woken *Entity) bool {
	return remainingNs(woken) < remainingNs(cur)
}

// remainingNs returns e's time left to completion: 0 once it has used its
// declared length, math.MaxInt64 when the length is unknown.
func remainingNs(e *Entity) int64 {
	if e.LengthNs <= 0 {
		return math.MaxInt64
	}
	return max(e.LengthNs-e.RanNs, 0)
}

// byRemaining orders by time left, then ID.
func byRemaining(a, b *Entity) bool {
	ra, rb := remainingNs(a), remainingNs(b)
	if ra != rb {
		return ra < rb
	}
	return a.ID < b.ID
}
