package sched

// strideBig is divided by a task's tickets to give its stride.
const strideBig = 1 << 20

// stride is deterministic proportional share (Waldspurger's stride
// scheduling): each task's pass grows by its stride, strideBig/Tickets, for
// every tick it runs, and the task with the smallest pass runs next, ties in
// ID order. A new task starts at the least pass of the runnable tasks, and
// a woken one no lower, so neither can monopolize the CPU to catch up. The
// choice is re-made at the end of every QuantumTicks slice.
type stride struct {
	q       queue
	quantum int
	passNow int64 // least pass among runnable entities; never decreases
}

func newStride(p Params) Policy { return &stride{quantum: p.QuantumTicks} }

func (p *stride) Name() string               { return "stride" }
func (p *stride) Remove(e *Entity)           { p.q.remove(e) }
func (p *stride) Len() int                   { return p.q.n }
func (p *stride) Preempts(_, _ *Entity) bool { return false }

func (p *stride) Add(e *Entity, why Why) {
	switch why {
	case Created:
		e.Pass = p.passNow
	case Woken:
		e.Pass = max(e.Pass, p.passNow)
	}
	p.q.insertSorted(e, byPass)
}

func (p *stride) Pick() *Entity {
	e := p.q.popFront()
	if e != nil {
		p.passNow = max(p.passNow, e.Pass)
		e.QuantumLeft = p.quantum
	}
	return e
}

// Tick advances cur's pass; at the end of the slice cur yields to a task
// with a smaller pass, or starts a new slice.
func (p *stride) Tick(cur *Entity) bool {
	if cur == nil {
		return false
	}
	cur.Pass += strideOf(cur)
	least := cur.Pass
	if p.q.head != nil {
		least = min(least, p.q.head.Pass)
	}
	p.passNow = max(p.passNow, least)
	cur.QuantumLeft--
	if cur.QuantumLeft > 0 {
		return false
	}
	if p.q.head != nil && byPass(p.q.head, cur) {
		return true
	}
	cur.QuantumLeft = p.quantum
	return false
}

// strideOf returns how far e's pass moves per tick.
func strideOf(e *Entity) int64 { return max(strideBig/tickets(e), 1) }

// byPass orders by pass, then ID.
func byPass(a, b *Entity) bool {
	if a.Pass != b.Pass {
		return a.Pass < b.Pass
	}
	return a.ID < b.ID
}
