package kernel

// link places a task in at most one queue at a time: a sender queue, a
// waiter queue, or a service's wait queue. The queues are intrusive so that
// blocking and waking allocate nothing.
type link struct {
	next, prev *Task
	in         *queue
}

// queue is an intrusive FIFO of tasks.
type queue struct {
	head, tail *Task
	n          int
}

func (q *queue) push(t *Task) {
	if t.link.in != nil {
		t.link.in.remove(t)
	}
	t.link = link{prev: q.tail, in: q}
	if q.tail != nil {
		q.tail.link.next = t
	} else {
		q.head = t
	}
	q.tail = t
	q.n++
}

func (q *queue) remove(t *Task) {
	if t.link.in != q {
		return
	}
	if t.link.prev != nil {
		t.link.prev.link.next = t.link.next
	} else {
		q.head = t.link.next
	}
	if t.link.next != nil {
		t.link.next.link.prev = t.link.prev
	} else {
		q.tail = t.link.prev
	}
	t.link = link{}
	q.n--
}

func (q *queue) pop() *Task {
	t := q.head
	if t != nil {
		q.remove(t)
	}
	return t
}

// unlink takes t out of whatever queue holds it.
func unlink(t *Task) {
	if t.link.in != nil {
		t.link.in.remove(t)
	}
}
