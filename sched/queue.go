package sched

// queue is an intrusive FIFO of entities, linked through Entity.next/prev.
// Push and pop are O(1) and allocate nothing.
type queue struct {
	head, tail *Entity
	n          int
}

func (q *queue) pushBack(e *Entity) {
	e.next, e.prev = nil, q.tail
	if q.tail != nil {
		q.tail.next = e
	} else {
		q.head = e
	}
	q.tail = e
	q.n++
	e.Queued = true
}

func (q *queue) pushFront(e *Entity) {
	e.prev, e.next = nil, q.head
	if q.head != nil {
		q.head.prev = e
	} else {
		q.tail = e
	}
	q.head = e
	q.n++
	e.Queued = true
}

func (q *queue) remove(e *Entity) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		q.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		q.tail = e.prev
	}
	e.next, e.prev = nil, nil
	q.n--
	e.Queued = false
}

func (q *queue) popFront() *Entity {
	e := q.head
	if e != nil {
		q.remove(e)
	}
	return e
}

// insertAfter links e right after at, or at the front when at is nil.
func (q *queue) insertAfter(at, e *Entity) {
	if at == nil {
		q.pushFront(e)
		return
	}
	if at == q.tail {
		q.pushBack(e)
		return
	}
	e.prev, e.next = at, at.next
	at.next.prev = e
	at.next = e
	q.n++
	e.Queued = true
}

// insertSorted links e after every entity that is not ordered after it, so
// the queue stays sorted by less and equal entities keep arrival order. It
// walks from the tail: O(n), and allocates nothing.
func (q *queue) insertSorted(e *Entity, less func(a, b *Entity) bool) {
	at := q.tail
	for at != nil && less(e, at) {
		at = at.prev
	}
	q.insertAfter(at, e)
}
