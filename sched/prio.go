package sched

// priority always runs the most important runnable task (lowest Prio
// number), round robin within a level. A woken task preempts a less
// important running one at once. Low levels can starve: that is the lesson.
type priority struct {
	levels  []queue
	quantum int
	n       int
}

func newPriority(p Params) Policy {
	return &priority{levels: make([]queue, p.Levels), quantum: p.QuantumTicks}
}

func (p *priority) Name() string { return "prio" }

// MayStarve reports true (Starver): a lower priority waits as long as a
// higher one is runnable.
func (p *priority) MayStarve() bool { return true }
func (p *priority) Len() int        { return p.n }

// level clamps e's priority into the configured range.
func (p *priority) level(e *Entity) int {
	return min(max(e.Prio, 0), len(p.levels)-1)
}

func (p *priority) Add(e *Entity, why Why) {
	p.levels[p.level(e)].pushBack(e)
	p.n++
}

func (p *priority) Remove(e *Entity) {
	p.levels[p.level(e)].remove(e)
	p.n--
}

func (p *priority) Pick() *Entity {
	for i := range p.levels {
		if e := p.levels[i].popFront(); e != nil {
			p.n--
			e.QuantumLeft = p.quantum
			return e
		}
	}
	return nil
}

// Tick preempts cur when its quantum is over and a task at least as
// important waits.
func (p *priority) Tick(cur *Entity) bool {
	if cur == nil {
		return false
	}
	cur.QuantumLeft--
	if cur.QuantumLeft > 0 {
		return false
	}
	for i := 0; i <= p.level(cur); i++ {
		if p.levels[i].n > 0 {
			return true
		}
	}
	cur.QuantumLeft = p.quantum
	return false
}

func (p *priority) Preempts(cur, woken *Entity) bool {
	return p.level(woken) < p.level(cur)
}
