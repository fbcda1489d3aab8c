package sched

// mlfq is the multi-level feedback queue of OSTEP chapter 8. Level 0 is the
// highest; each level has its own slice (LevelQuantumTicks) and allotment
// (LevelAllotQuanta, counted in slices). The rules:
//
//  1. A task at a higher level runs before one at a lower level; a task
//     woken at a higher level preempts the running one.
//  2. Tasks at the same level take turns, one slice each.
//  3. A new task enters at level 0.
//  4. Once a task has used its allotment at a level, however many times it
//     blocked meanwhile, it moves down one level (and stays at the bottom
//     once there). With KeepLevelOnBlock (old rule 4b) a task that blocks or
//     yields instead keeps its level with a fresh allotment.
//  5. Every BoostTicks ticks all tasks move to level 0 with fresh slices
//     and allotments, those blocked at the time included (on waking).
//
// A slice half used survives blocking, as in OSTEP's mlfq.py; a task
// preempted mid-slice keeps its place at the head of its level. With
// WokenToFront a woken task goes to the front of its level and preempts a
// running task of the same level.
//
// The boost clock advances on every Tick; the kernel calls Tick(nil) on
// an idle CPU so that idle ticks count too.
type mlfq struct {
	levels       []queue
	quantum      []int // slice per level, in ticks
	allot        []int // allotment per level, in slices
	boostTicks   int
	untilBoost   int
	keepLevel    bool
	wokenToFront bool
	lowestFirst  bool   // BoostLowestFirst
	boosted      boost  // where a preempted, boosted cur goes (mlfq_ostep.go)
	epoch        uint64 // boosts so far
	seq          uint64 // picks and front insertions so far
	n            int
}

func newMLFQ(p Params) Policy {
	p = p.withDefaults()
	m := &mlfq{
		levels:       make([]queue, p.Queues),
		quantum:      make([]int, p.Queues),
		allot:        make([]int, p.Queues),
		boostTicks:   p.BoostTicks,
		untilBoost:   p.BoostTicks,
		keepLevel:    p.KeepLevelOnBlock,
		wokenToFront: p.WokenToFront,
		lowestFirst:  p.BoostLowestFirst,
	}
	for i := range p.Queues {
		m.quantum[i] = listAt(p.LevelQuantumTicks, i, p.QuantumTicks)
		m.allot[i] = listAt(p.LevelAllotQuanta, i, 1)
	}
	return m
}

// listAt returns l[i], l's last entry past its end, or def when l is empty
// or the entry is not positive.
func listAt(l []int, i, def int) int {
	if len(l) == 0 {
		return def
	}
	if v := l[min(i, len(l)-1)]; v > 0 {
		return v
	}
	return def
}

func (m *mlfq) Name() string { return "mlfq" }
func (m *mlfq) Len() int     { return m.n }

// place puts e at level with a fresh slice and allotment.
func (m *mlfq) place(e *Entity, level int) {
	e.Level = level
	e.QuantumLeft = m.quantum[level]
	e.AllotLeft = m.allot[level]
	e.epoch = m.epoch
}

func (m *mlfq) Add(e *Entity, why Why) {
	switch {
	case why == Created || e.epoch != m.epoch || e.Level >= len(m.levels):
		m.place(e, 0) // rule 3, or boosted while away (rule 5)
	case m.keepLevel && (why == Woken || why == Yielded):
		m.stay(e) // rule 4b
	}
	q := &m.levels[e.Level]
	switch {
	case why == Woken && m.wokenToFront:
		m.seq++
		e.bumpedAt = m.seq
		q.pushFront(e)
	case why == Preempted && e == m.boosted.cur:
		m.insertBoosted(q, e)
	case why == Preempted && !e.sliceDone:
		m.insertAfterBumps(q, e)
	default:
		q.pushBack(e)
	}
	m.n++
}

// stay gives e, which blocked or yielded, a fresh allotment at its level
// (rule 4b). As in mlfq.py -S, a slice that ended on the very tick e gave
// up the CPU is charged to that fresh allotment, at the level it ran at.
func (m *mlfq) stay(e *Entity) {
	if !e.endedSlice {
		m.place(e, e.Level)
		return
	}
	m.place(e, e.endedLevel)
	if e.AllotLeft--; e.AllotLeft <= 0 {
		m.place(e, min(e.Level+1, len(m.levels)-1))
	}
}

// insertAfterBumps puts e, preempted mid-slice, back at the head of q,
// behind only the tasks woken to the front since e was picked.
func (m *mlfq) insertAfterBumps(q *queue, e *Entity) {
	var at *Entity
	for x := q.head; x != nil && x.bumpedAt > e.pickedAt; x = x.next {
		at = x
	}
	q.insertAfter(at, e)
}

func (m *mlfq) Remove(e *Entity) {
	m.levels[e.Level].remove(e)
	m.n--
}

func (m *mlfq) Pick() *Entity {
	for i := range m.levels {
		if e := m.levels[i].popFront(); e != nil {
			m.boosted = boost{}
			m.n--
			m.seq++
			e.pickedAt = m.seq
			e.sliceDone = false
			if e.QuantumLeft <= 0 {
				e.QuantumLeft = m.quantum[i]
			}
			return e
		}
	}
	return nil
}

// Tick charges the tick to cur's slice and allotment (rule 4), then
// boosts if it is time (rule 5).
func (m *mlfq) Tick(cur *Entity) bool {
	m.boosted = boost{}
	preempt := cur != nil && m.account(cur)
	if m.boostTicks > 0 {
		if m.untilBoost--; m.untilBoost <= 0 {
			m.untilBoost = m.boostTicks
			if m.lowestFirst {
				return m.boostLowestFirst(cur)
			}
			m.boost(cur)
		}
	}
	return preempt
}

// account charges one tick to cur and reports whether it must give up the
// CPU: its slice ended and a task at its level or above waits, or a task
// above it waits.
func (m *mlfq) account(cur *Entity) bool {
	cur.QuantumLeft--
	cur.endedSlice = cur.QuantumLeft <= 0
	if !cur.endedSlice {
		return m.waiting(cur.Level - 1)
	}
	cur.endedLevel = cur.Level
	if cur.AllotLeft--; cur.AllotLeft <= 0 {
		m.place(cur, min(cur.Level+1, len(m.levels)-1))
	} else {
		cur.QuantumLeft = m.quantum[cur.Level]
	}
	cur.sliceDone = m.waiting(cur.Level)
	return cur.sliceDone
}

// waiting reports whether a task at level or above is queued.
func (m *mlfq) waiting(level int) bool {
	for i := 0; i <= level; i++ {
		if m.levels[i].n > 0 {
			return true
		}
	}
	return false
}

// boost moves every queued task to the back of level 0, higher levels
// first, and resets them and cur. Blocked tasks see the new epoch when
// they wake.
func (m *mlfq) boost(cur *Entity) {
	m.epoch++
	top := &m.levels[0]
	for i := 1; i < len(m.levels); i++ {
		for e := m.levels[i].popFront(); e != nil; e = m.levels[i].popFront() {
			top.pushBack(e)
		}
	}
	for e := top.head; e != nil; e = e.next {
		m.place(e, 0)
	}
	if cur != nil {
		m.place(cur, 0)
		// A slice cur ended on this tick was charged before the boost;
		// rule 4b must not charge it again to the fresh allotment.
		cur.endedSlice = false
	}
}

func (m *mlfq) Preempts(cur, woken *Entity) bool {
	if woken.Level < cur.Level {
		return true
	}
	return m.wokenToFront && woken.Level == cur.Level && woken.bumpedAt > cur.pickedAt
}
