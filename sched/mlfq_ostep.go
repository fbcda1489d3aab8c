package sched

// mlfq.py's priority boost (Params.BoostLowestFirst).
//
// OSTEP's mlfq.py keeps the running job in its queue: at the head while
// its slice goes on, at the tail of its (new) queue once the slice ended.
// Its boost leaves the top queue as it is and appends the others to it,
// lowest queue first, each in its own order; then the job at the head of
// the top queue runs. The default boost (mlfq.go) moves the levels in
// priority order instead, and lets the running task go on unless a task
// above it waited.

// boost says where the task that was running at the last boost goes if it
// is preempted now: right after anchor in level 0, at the front when
// anchor is nil. The zero boost is none.
type boost struct {
	cur, anchor *Entity
}

// boostLowestFirst boosts as mlfq.py does and reports whether cur must
// give up the CPU: it keeps it only if it comes first.
func (m *mlfq) boostLowestFirst(cur *Entity) bool {
	m.epoch++
	top := &m.levels[0]
	var anchor *Entity
	at := func(level int, ended bool) bool {
		return cur != nil && cur.Level == level && cur.endedSlice == ended
	}
	if at(0, true) {
		anchor = top.tail
	}
	for i := len(m.levels) - 1; i >= 1; i-- {
		if at(i, false) {
			anchor = top.tail
		}
		for e := m.levels[i].popFront(); e != nil; e = m.levels[i].popFront() {
			top.pushBack(e)
		}
		if at(i, true) {
			anchor = top.tail
		}
	}
	for e := top.head; e != nil; e = e.next {
		m.place(e, 0)
	}
	if cur == nil {
		return false
	}
	m.place(cur, 0)
	cur.endedSlice = false
	if anchor == nil {
		cur.sliceDone = false // first in line: preempted later, it stays at the head
		return false
	}
	m.boosted = boost{cur, anchor}
	return true
}

// insertBoosted puts e, preempted by the boost, where mlfq.py has it.
func (m *mlfq) insertBoosted(q *queue, e *Entity) {
	anchor := m.boosted.anchor
	m.boosted = boost{}
	if anchor == nil || !anchor.Queued || anchor.Level != e.Level {
		q.pushBack(e)
		return
	}
	q.insertAfter(anchor, e)
}
