package kernel

import (
	"container/heap"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/sched"
)

// evKind says what a clock event does when it fires.
type evKind uint8

const (
	evTick        evKind = iota // the periodic clock interrupt
	evWake                      // a Sleep ends
	evTimer                     // a SetTimer deadline: notify the task
	evCallTimeout               // a Call's timeout expires
	evServiceWait               // a request's wait for a service instance ends
	evDevice                    // a device operation completes: the interrupt
	evFunc                      // a Schedule'd input from outside (schedule.go)
)

// event is a timer: at virtual time at, do kind to task. Events carry the
// task's block token, so an event for a wait that already ended does
// nothing (lazy cancellation).
type event struct {
	at    int64
	seq   uint64
	kind  evKind
	task  *Task
	ep    ipc.Endpoint
	token uint64
	dev   *device
	fn    func(now int64) // evFunc's callback
}

// eventHeap orders events by (at, seq): the same inputs always give the same
// order.
type eventHeap []event

func (h eventHeap) Len() int { return len(h) }
func (h eventHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].seq < h[j].seq
}
func (h eventHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *eventHeap) Push(x any)   { *h = append(*h, x.(event)) }
func (h *eventHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

func (h *eventHeap) peek() *event {
	if len(*h) == 0 {
		return nil
	}
	return &(*h)[0]
}

func (h *eventHeap) pop() event { return heap.Pop(h).(event) }

// pushEvent queues e.
func (k *Kernel) pushEvent(e event) { heap.Push(&k.events, e) }

// after queues an event of kind for t at time at.
func (k *Kernel) after(at int64, kind evKind, t *Task) {
	k.seq++
	e := event{at: at, seq: k.seq, kind: kind, task: t}
	if t != nil {
		e.ep, e.token = t.ep, t.token
	}
	heap.Push(&k.events, e)
}

// ensureTick queues the next clock tick if none is queued. Ticks stop while
// every CPU is idle (a tickless idle), so an idle system ends.
func (k *Kernel) ensureTick(now int64) {
	if k.tickOn {
		return
	}
	k.tickOn = true
	k.after((now/k.tickNs+1)*k.tickNs, evTick, nil)
}

// valid reports whether e still refers to the wait it was made for.
func (e *event) valid() bool {
	return e.task != nil && e.task.ep == e.ep && e.task.alive() && e.task.token == e.token
}

// fire runs one clock event.
func (k *Kernel) fire(e event) {
	switch e.kind {
	case evTick:
		k.tick(e.at)
	case evWake:
		if e.valid() && e.task.state == stateSleeping {
			k.ready(e.task, sched.Woken, e.at)
		}
	case evTimer:
		t := e.task
		if t.ep == e.ep && t.alive() && t.timerAt == e.at {
			t.timerAt = 0
			k.notify(t, t.timerBits, e.at)
		}
	case evCallTimeout:
		if e.valid() && (e.task.state == stateSending || e.task.state == stateAwaitReply || e.task.state == stateWaitService) {
			k.emit(Event{Kind: EvTimeout, T: e.at, Task: e.task.ep})
			k.fail(e.task, ipc.ErrTimeout, e.at)
		}
	case evServiceWait:
		if e.valid() && e.task.state == stateWaitService {
			k.fail(e.task, ipc.ErrNoInstance, e.at)
		}
	case evDevice:
		k.devFinish(e.dev, e.at)
	case evFunc:
		e.fn(e.at)
	}
}

// tick is the clock interrupt: quantum accounting on every busy CPU and
// preemption where the policy says so. LECTURE: clock-tick
func (k *Kernel) tick(at int64) {
	k.tickOn = false
	busy := false
	for _, c := range k.cpus {
		if c.cur == nil {
			if !k.cfg.GlobalQueue {
				c.rq.Tick(nil) // policies that age or boost count idle ticks too
			}
			continue
		}
		if !busy {
			k.stats.Ticks++
		}
		busy = true
		c.now = max(c.now, at) + k.cfg.Profile.TickNs
		k.emit(Event{Kind: EvTick, CPU: c.id, T: at, Task: c.cur.ep})
		if c.rq.Tick(&c.cur.ent) {
			k.preempt(c, sched.Preempted)
		}
	}
	if busy {
		k.balance()
		k.ensureTick(at)
	}
}
