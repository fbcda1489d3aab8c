package sched

import "math"

// sjf runs the task with the shortest declared length (LengthNs) first and
// lets it run until it blocks or yields: shortest job first, never
// preemptive. Equal lengths run in ID order; tasks of unknown length run
// after every declared one. A long job that arrives first still makes the
// short ones wait (the convoy effect stcf removes).
type sjf struct{ q queue }

func newSJF(Params) Policy { return &sjf{} }

func (p *sjf) Name() string { return "sjf" }

// MayStarve reports true (Starver): a long job waits as long as shorter
// ones keep coming.
func (p *sjf) MayStarve() bool            { return true }
func (p *sjf) Add(e *Entity, _ Why)       { p.q.insertSorted(e, byLength) }
func (p *sjf) Remove(e *Entity)           { p.q.remove(e) }
func (p *sjf) Pick() *Entity              { return p.q.popFront() }
func (p *sjf) Tick(*Entity) bool          { return false }
func (p *sjf) Preempts(_, _ *Entity) bool { return false }
func (p *sjf) Len() int                   { return p.q.n }

// declaredNs returns e's declared length, math.MaxInt64 when unknown.
func declaredNs(e *Entity) int64 {
	if e.LengthNs <= 0 {
		return math.MaxInt64
	}
	return e.LengthNs
}

// byLength orders by declared length, then ID.
func byLength(a, b *Entity) bool {
	la, lb := declaredNs(a), declaredNs(b)
	if la != lb {
		return la < lb
	}
	return a.ID < b.ID
}
