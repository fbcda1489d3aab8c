package sched

// cfs is a model of Linux's Completely Fair Scheduler. Each task's
// VruntimeNs grows by the CPU time it uses (RanNs, kept by the kernel),
// scaled by 1024/weight, and the task with the least virtual runtime runs
// next, ties in ID order. Prio is read as a Linux nice value (clamped to
// -20..19; 0 is nice 0, weight 1024) and weights come from Linux's
// sched_prio_to_weight table, so each nice step is about 10% of CPU.
//
// A new task starts at the least virtual runtime of the runnable tasks
// and a woken one no lower, so a sleeper cannot bank credit (Linux gives
// sleepers a little credit; this model gives none). A woken task with less virtual
// runtime than the running one preempts it. The choice is re-made at the
// end of every QuantumTicks slice. Not modelled: the red-black tree (a
// sorted list), target latency and minimum granularity, wake-up
// granularity, groups.
type cfs struct {
	q             queue
	quantum       int
	minVruntimeNs int64 // least vruntime of runnable entities; never decreases
}

// niceToWeight is Linux's sched_prio_to_weight, nice -20 first.
var niceToWeight = [40]int64{
	88761, 71755, 56483, 46273, 36291,
	29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906,
	3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423,
	335, 272, 215, 172, 137,
	110, 87, 70, 56, 45,
	36, 29, 23, 18, 15,
}

func newCFS(p Params) Policy { return &cfs{quantum: p.QuantumTicks} }

func (p *cfs) Name() string     { return "cfs" }
func (p *cfs) Remove(e *Entity) { p.q.remove(e) }
func (p *cfs) Len() int         { return p.q.n }

func (p *cfs) Add(e *Entity, why Why) {
	switch why {
	case Created:
		e.ranSeenNs = e.RanNs
		e.VruntimeNs = p.minVruntimeNs
	case Woken:
		charge(e)
		e.VruntimeNs = max(e.VruntimeNs, p.minVruntimeNs)
	default:
		charge(e)
	}
	p.q.insertSorted(e, byVruntime)
}

func (p *cfs) Pick() *Entity {
	e := p.q.popFront()
	if e != nil {
		p.minVruntimeNs = max(p.minVruntimeNs, e.VruntimeNs)
		e.QuantumLeft = p.quantum
	}
	return e
}

// Tick charges cur's new CPU time; at the end of the slice cur yields to a
// task with less virtual runtime, or starts a new slice.
func (p *cfs) Tick(cur *Entity) bool {
	if cur == nil {
		return false
	}
	charge(cur)
	least := cur.VruntimeNs
	if p.q.head != nil {
		least = min(least, p.q.head.VruntimeNs)
	}
	p.minVruntimeNs = max(p.minVruntimeNs, least)
	cur.QuantumLeft--
	if cur.QuantumLeft > 0 {
		return false
	}
	if p.q.head != nil && byVruntime(p.q.head, cur) {
		return true
	}
	cur.QuantumLeft = p.quantum
	return false
}

func (p *cfs) Preempts(cur, woken *Entity) bool {
	charge(cur)
	return woken.VruntimeNs < cur.VruntimeNs
}

// weight returns e's load weight from its Prio read as a nice value.
func weight(e *Entity) int64 {
	return niceToWeight[min(max(e.Prio, -20), 19)+20]
}

// charge adds the CPU time e used since the last charge to its virtual
// runtime, scaled by 1024/weight.
func charge(e *Entity) {
	if d := e.RanNs - e.ranSeenNs; d > 0 {
		e.VruntimeNs += d * 1024 / weight(e)
	}
	e.ranSeenNs = e.RanNs
}

// byVruntime orders by virtual runtime, then ID.
func byVruntime(a, b *Entity) bool {
	if a.VruntimeNs != b.VruntimeNs {
		return a.VruntimeNs < b.VruntimeNs
	}
	return a.ID < b.ID
}
