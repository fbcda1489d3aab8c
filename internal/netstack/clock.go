package netstack

import (
	"container/heap"
	"sync"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
)

// Clock is a tcpip.Clock on virtual time. Its time moves only when the host
// sets it (SetNow, Fire); its timers sit in a heap ordered by (deadline,
// sequence) and run only from Fire, on the caller's goroutine, one after the
// other. It starts no goroutine and never reads host time.
//
// The stack arms and stops timers from its own goroutines, so every method
// is safe for concurrent use; callbacks run with no lock of the Clock held.
//
// Rejected: faketime.ManualClock fires timers due at the same instant in map
// order and runs zero-delay timers on new goroutines, so two runs differ.
type Clock struct {
	mu sync.Mutex
	// nowNs is the virtual time in nanoseconds since boot.
	nowNs int64
	// seq numbers arming events; a later arming of the same deadline runs later.
	seq uint64
	// timers holds the armed timers, earliest (deadline, seq) first.
	timers timerHeap
	// afterEach, when set, runs after every callback Fire runs (the barrier).
	afterEach func()
}

// NewClock returns a Clock at virtual time nowNs with no timers.
func NewClock(nowNs int64) *Clock {
	return &Clock{nowNs: nowNs}
}

// Now implements tcpip.Clock.Now: the virtual time as wall time since the
// Unix epoch, so two runs read the same dates.
func (c *Clock) Now() time.Time {
	return time.Unix(0, c.NowNanoseconds()).UTC()
}

// NowNanoseconds returns the virtual time in nanoseconds.
func (c *Clock) NowNanoseconds() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowNs
}

// NowMonotonic implements tcpip.Clock.NowMonotonic.
func (c *Clock) NowMonotonic() tcpip.MonotonicTime {
	var zero tcpip.MonotonicTime
	return zero.Add(time.Duration(c.NowNanoseconds()))
}

// SetNow moves the virtual time to nowNs without running any timer. Time
// never goes backwards: an earlier nowNs is ignored.
func (c *Clock) SetNow(nowNs int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if nowNs > c.nowNs {
		c.nowNs = nowNs
	}
}

// AfterFunc implements tcpip.Clock.AfterFunc: f runs from the first Fire at
// or after now+d (a negative d counts as zero).
func (c *Clock) AfterFunc(d time.Duration, f func()) tcpip.Timer {
	t := &clockTimer{c: c, f: f, index: -1}
	t.Reset(d)
	return t
}

// NextTimer returns the deadline of the earliest armed timer; ok is false
// when no timer is armed.
func (c *Clock) NextTimer() (atNs int64, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.timers) == 0 {
		return 0, false
	}
	return c.timers[0].atNs, true
}

// Pending returns how many timers are armed.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// Fire runs every timer due at or before nowNs in (deadline, sequence)
// order, including timers those callbacks arm for a time not after nowNs,
// then leaves the virtual time at nowNs. While a callback runs, the time
// reads as that timer's deadline (or the current time if that is later). It
// returns how many callbacks ran.
func (c *Clock) Fire(nowNs int64) int {
	ran := 0
	for {
		f := c.popDue(nowNs)
		if f == nil {
			break
		}
		f()
		if c.afterEach != nil {
			c.afterEach()
		}
		ran++
	}
	c.SetNow(nowNs)
	return ran
}

// popDue removes the earliest timer due at or before nowNs, moves the time
// to its deadline and returns its callback, or nil when none is due.
func (c *Clock) popDue(nowNs int64) func() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.timers) == 0 || c.timers[0].atNs > nowNs {
		return nil
	}
	t := heap.Pop(&c.timers).(*clockTimer)
	if t.atNs > c.nowNs {
		c.nowNs = t.atNs
	}
	return t.f
}

// clockTimer is one tcpip.Timer of a Clock. Its fields are guarded by c.mu.
type clockTimer struct {
	c     *Clock
	f     func()
	atNs  int64
	seq   uint64
	index int // place in c.timers, -1 when not armed
}

// Stop implements tcpip.Timer.Stop: it reports whether the timer was armed.
func (t *clockTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.index < 0 {
		return false
	}
	heap.Remove(&t.c.timers, t.index)
	return true
}

// Reset implements tcpip.Timer.Reset: the timer fires d after the current
// virtual time, whether it was armed, stopped or has fired.
func (t *clockTimer) Reset(d time.Duration) {
	c := t.c
	c.mu.Lock()
	defer c.mu.Unlock()
	t.atNs = c.nowNs + max(int64(d), 0)
	c.seq++
	t.seq = c.seq
	if t.index >= 0 {
		heap.Fix(&c.timers, t.index)
		return
	}
	heap.Push(&c.timers, t)
}

// timerHeap orders timers by (deadline, sequence) for container/heap.
type timerHeap []*clockTimer

func (h timerHeap) Len() int { return len(h) }

func (h timerHeap) Less(i, j int) bool {
	if h[i].atNs != h[j].atNs {
		return h[i].atNs < h[j].atNs
	}
	return h[i].seq < h[j].seq
}

func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *timerHeap) Push(x any) {
	t := x.(*clockTimer)
	t.index = len(*h)
	*h = append(*h, t)
}

func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.index = -1
	*h = old[:len(old)-1]
	return t
}
