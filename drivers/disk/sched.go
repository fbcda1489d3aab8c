package disk

import (
	"sort"

	"github.com/mkos/mkos/ipc"
)

// Request is one read, write or flush the driver holds: what a Scheduler
// orders. Schedulers read Block and Seq only.
type Request struct {
	// Op is diskproto.Read, Write or Flush (or the driver's own probe).
	Op ipc.Type
	// Block and Count are the blocks it touches.
	Block int64
	Count int
	// Seq numbers requests in arrival order: the tie-breaker that keeps
	// every policy deterministic.
	Seq uint64
	// Caller waits for the reply.
	Caller ipc.Endpoint

	tag     uint64 // of its device operation
	started bool   // on the device (else waiting for it)
}

// Scheduler orders the requests waiting for the disk: the driver adds each
// one as it arrives and asks for the next whenever the disk is free. A
// policy is one file and one line in Schedulers. LECTURE: io-scheduling
type Scheduler interface {
	// Add queues r.
	Add(r *Request)
	// Next removes and returns the request to serve next, given the head
	// position: the block after the last one transferred. Nil when empty.
	Next(head int64) *Request
	// Len is the number of queued requests.
	Len() int
}

// Schedulers maps the names used by boot files and the CLI to the
// policies' constructors.
var Schedulers = map[string]func() Scheduler{
	"fifo":  newFIFO,
	"sstf":  newSSTF,
	"clook": newCLOOK,
}

// DefaultScheduler is the policy when none is named: the elevator.
const DefaultScheduler = "clook"

// SchedulerNames returns the policies' names, sorted.
func SchedulerNames() []string {
	names := make([]string, 0, len(Schedulers))
	for n := range Schedulers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// queue is the slice the policies keep their requests in, in arrival
// order.
type queue []*Request

func (q *queue) Add(r *Request) { *q = append(*q, r) }
func (q *queue) Len() int       { return len(*q) }

// take removes and returns request i.
func (q *queue) take(i int) *Request {
	r := (*q)[i]
	*q = append((*q)[:i], (*q)[i+1:]...)
	return r
}

func dist(a, b int64) int64 {
	if a < b {
		return b - a
	}
	return a - b
}
