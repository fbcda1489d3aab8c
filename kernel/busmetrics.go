package kernel

import (
	"math/bits"

	"github.com/mkos/mkos/ipc"
)

// Bus metrics. LECTURE: bus-metrics
//
// The bus counts, per service and per instance, what a scaler or an
// operator needs to see load: requests since boot, in flight and queued
// now, and over a sliding window of virtual time (Config.BusWindowNs) the
// requests that arrived, finished and failed and a latency histogram of
// the finished ones. `svc stats`, the live views, the benchmark report and
// the autoscaler read these same numbers (ipc.BusMetrics).
//
// The window is a ring of meterSlots slots, each BusWindowNs/meterSlots
// long and stamped with its slot number (time / slot length); a slot whose
// stamp is older than the ring is stale and counts as empty. Counting is
// O(1) and allocates nothing; reading sums the ring. A slot's histogram
// makes each meter about 7 KB: one per service and one per instance.

// meterSlots is the number of slots in a sliding window.
const meterSlots = 20

// meter is a sliding window of request counts and latencies. slots[cur]
// is the slot at found last, for times in [lo, hi): counting on the hot
// path reuses it without dividing (an index, not a pointer, so a meter
// may be copied). hi is 0 until the first count.
type meter struct {
	slots  [meterSlots]meterSlot
	cur    int
	lo, hi int64
}

// meterSlot is one slot of a meter: stamp n is its start time over the
// slot length.
type meterSlot struct {
	n                     int64
	arrived, done, failed int64
	busyNs                int64 // latencies of the finished, summed
	latency               [ipc.LatencyBuckets]int64
}

// at returns the slot that holds time now, emptied if stale.
func (m *meter) at(now, slotNs int64) *meterSlot {
	if now >= m.lo && now < m.hi {
		return &m.slots[m.cur]
	}
	n := max(now, 0) / slotNs
	s := &m.slots[n%meterSlots]
	if s.n != n {
		*s = meterSlot{n: n}
	}
	if now >= 0 {
		m.cur, m.lo, m.hi = int(n%meterSlots), n*slotNs, (n+1)*slotNs
	} else { // times before 0 count in slot 0; nothing is cached
		m.lo, m.hi = 0, 0
	}
	return s
}

// arrive counts a request arriving at now.
func (m *meter) arrive(now, slotNs int64) { m.at(now, slotNs).arrived++ }

// finish counts a request that took d ns finishing at now with errno e.
func (m *meter) finish(e ipc.Errno, d, now, slotNs int64) {
	s := m.at(now, slotNs)
	s.done++
	if e != 0 {
		s.failed++
	}
	s.latency[latencyBucket(d)]++
	s.busyNs += max(d, 0)
}

// latencyBucket is the histogram bucket of a latency of d ns.
func latencyBucket(d int64) int {
	return min(bits.Len64(uint64(max(d, 0))), ipc.LatencyBuckets-1)
}

// read fills the window fields of out for the window ending at now.
func (m *meter) read(now, slotNs int64, out *ipc.BusMetrics) {
	now = max(now, 0)
	cur := now / slotNs
	var h [ipc.LatencyBuckets]int64
	for i := range m.slots {
		s := &m.slots[i]
		if s.n > cur || s.n <= cur-meterSlots {
			continue
		}
		out.Arrived += s.arrived
		out.Done += s.done
		out.Failed += s.failed
		out.BusyNs += s.busyNs
		for b, c := range s.latency {
			h[b] += c
		}
	}
	out.NowNs = now
	out.WindowNs = min((meterSlots-1)*slotNs+now%slotNs, now)
	out.P50Ns, out.P99Ns, out.MaxNs = ipc.Percentile(&h, 0.50), ipc.Percentile(&h, 0.99), ipc.Percentile(&h, 1)
}

// instMeter is the bus's record of one instance of a service.
type instMeter struct {
	t                *Task
	requests, errors int64
	inFlight         int64
	m                meter
}

// BusWindowNs returns the length of the bus's sliding window.
func (k *Kernel) BusWindowNs() int64 { return k.bus.slotNs * meterSlots }

// instOf returns svc's record of instance t, nil if t is not one.
func (s *service) instOf(t *Task) *instMeter {
	for _, in := range s.inst {
		if in.t == t {
			return in
		}
	}
	return nil
}

// dropInst forgets t's record: it is no instance of s any more.
func (s *service) dropInst(t *Task) {
	for i, in := range s.inst {
		if in.t == t {
			s.inst = append(s.inst[:i], s.inst[i+1:]...)
			return
		}
	}
}

// routed counts t's request to s being handed to instance r.
func (s *service) routed(t, r *Task, now int64) {
	t.callInst = r
	if in := s.instOf(r); in != nil {
		in.requests++
		in.inFlight++
		in.m.arrive(now, s.slotNs)
	}
}

// instDone counts t's request finishing at the instance it was routed to.
func (s *service) instDone(t *Task, e ipc.Errno, d, now int64) {
	r := t.callInst
	t.callInst = nil
	if r == nil {
		return
	}
	if in := s.instOf(r); in != nil {
		in.inFlight--
		if e != 0 {
			in.errors++
		}
		in.m.finish(e, d, now, s.slotNs)
	}
}

// InstanceMetrics are the bus's numbers for one instance of a service.
type InstanceMetrics struct {
	Task ipc.Endpoint
	ipc.BusMetrics
}

// metrics returns s's numbers at now, and each instance's.
func (s *service) metrics(now int64) (ipc.BusMetrics, []InstanceMetrics) {
	m := ipc.BusMetrics{Requests: s.stats.Requests, Errors: s.stats.Errors, InFlight: s.stats.InFlight, Queue: int64(s.waiting.n)}
	s.m.read(now, s.slotNs, &m)
	var per []InstanceMetrics
	for _, in := range s.inst {
		q := int64(in.t.senders.n)
		m.Queue += q
		im := InstanceMetrics{Task: in.t.ep, BusMetrics: ipc.BusMetrics{Requests: in.requests, Errors: in.errors,
			InFlight: in.inFlight, Queue: q}}
		in.m.read(now, s.slotNs, &im.BusMetrics)
		per = append(per, im)
	}
	return m, per
}

// BusMetrics returns the named service's numbers and its instances', now.
func (k *Kernel) BusMetrics(name string) (ipc.BusMetrics, []InstanceMetrics, error) {
	s, e := k.bus.lookupName(name, false)
	if e != 0 {
		return ipc.BusMetrics{}, nil, e
	}
	m, per := s.metrics(k.Now())
	return m, per, nil
}
