package disk

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// serve queues blocks in order, then serves them all from head, the head
// moving to each block served (blocks as cylinders, as textbooks count).
// It returns the order and the total head movement.
func serve(s Scheduler, head int64, blocks []int64) ([]int64, int64) {
	for i, b := range blocks {
		s.Add(&Request{Block: b, Count: 1, Seq: uint64(i)})
	}
	var order []int64
	var moved int64
	for r := s.Next(head); r != nil; r = s.Next(head) {
		order = append(order, r.Block)
		moved += dist(r.Block, head)
		head = r.Block
	}
	return order, moved
}

// The textbook queue (Silberschatz, Galvin and Gagne, Operating System
// Concepts, "Disk Scheduling"): cylinders 98, 183, 37, 122, 14, 124, 65, 67
// with the head at 53. FCFS moves the head 640 cylinders and SSTF 236, as
// the book says; C-LOOK sweeps up from 53 and wraps to 14: 322.
func TestSchedulersOnTheTextbookQueue(t *testing.T) {
	queue := []int64{98, 183, 37, 122, 14, 124, 65, 67}
	for _, c := range []struct {
		name  string
		order []int64
		moved int64
	}{
		{"fifo", []int64{98, 183, 37, 122, 14, 124, 65, 67}, 640},
		{"sstf", []int64{65, 67, 37, 14, 98, 122, 124, 183}, 236},
		{"clook", []int64{65, 67, 98, 122, 124, 183, 14, 37}, 322},
	} {
		s := Schedulers[c.name]()
		order, moved := serve(s, 53, queue)
		assert.Equal(t, c.order, order, "%s: order", c.name)
		assert.Equal(t, c.moved, moved, "%s: head movement", c.name)
		assert.Zero(t, s.Len(), "%s: left queued", c.name)
		assert.Nil(t, s.Next(0), "%s: Next() of an empty queue", c.name)
	}
}

// Ties go to the earliest request, so every policy is deterministic.
func TestSchedulersBreakTiesByArrival(t *testing.T) {
	for name, mk := range Schedulers {
		s := mk()
		a, b := &Request{Block: 60, Seq: 1}, &Request{Block: 60, Seq: 2}
		s.Add(a)
		s.Add(b)
		assert.Same(t, a, s.Next(50), "%s: same block", name)
		assert.Same(t, b, s.Next(50), "%s: then the later one", name)
	}
	s := newSSTF()
	hi, lo := &Request{Block: 60, Seq: 1}, &Request{Block: 40, Seq: 2}
	s.Add(hi)
	s.Add(lo)
	assert.Same(t, hi, s.Next(50), "sstf: equally far on both sides: the earlier request")
}

func TestSchedulerNames(t *testing.T) {
	assert.Equal(t, []string{"clook", "fifo", "sstf"}, SchedulerNames())
	assert.Contains(t, Schedulers, DefaultScheduler)
}
