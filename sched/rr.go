package sched

// roundRobin gives each task a quantum of QuantumTicks ticks in turn. A task
// preempted at the end of its quantum goes to the back of the queue.
type roundRobin struct {
	q       queue
	quantum int
}

func newRoundRobin(p Params) Policy { return &roundRobin{quantum: p.QuantumTicks} }

func (p *roundRobin) Name() string         { return "rr" }
func (p *roundRobin) Add(e *Entity, _ Why) { p.q.pushBack(e) }
func (p *roundRobin) Remove(e *Entity)     { p.q.remove(e) }
func (p *roundRobin) Len() int             { return p.q.n }

func (p *roundRobin) Pick() *Entity {
	e := p.q.popFront()
	if e != nil {
		e.QuantumLeft = p.quantum
	}
	return e
}

func (p *roundRobin) Tick(cur *Entity) bool {
	if cur == nil {
		return false
	}
	cur.QuantumLeft--
	return cur.QuantumLeft <= 0 && p.q.n > 0
}

func (p *roundRobin) Preempts(_, _ *Entity) bool { return false }
