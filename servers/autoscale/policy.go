package autoscale

import (
	"math"

	"github.com/mkos/mkos/ipc/rsproto"
)

// Target is one scalable service and what the autoscaler aims for.
type Target struct {
	Service string
	// Min and Max bound the number of instances (Min at least 1).
	Min, Max int
	// QueuePerInstance is the aim for requests in flight (queued or being
	// served) per instance; 0 ignores it.
	QueuePerInstance float64
	// P99Ns is the aim for the p99 latency over the bus's window; 0
	// ignores it.
	P99Ns int64
}

// Hysteresis is how long a service must be hot or cold before it changes.
type Hysteresis struct {
	// UpAfter periods in a row over the target scale up (default 2);
	// DownAfter periods in a row under half of it scale down (default 5).
	UpAfter, DownAfter int
}

// streak counts a service's periods in a row over and under its target.
type streak struct{ hot, cold int }

// decide returns how many instances t's service should run, given its
// metrics m and the instances it runs now (live), and updates the streak.
func (t *Target) decide(m *rsproto.ServiceStats, live int, h Hysteresis, s *streak) int {
	if live == 0 {
		return 0 // down or restarting: rs's business
	}
	// The load is the larger of the requests in flight now and their mean
	// over the bus's window: a burst shows at once, and an instant's lull
	// in a busy window does not look cold.
	inFlight := max(float64(m.InFlight), m.AvgInFlight())
	load := inFlight / float64(live)
	hot := t.QueuePerInstance > 0 && load > t.QueuePerInstance || t.P99Ns > 0 && m.P99Ns > t.P99Ns
	cold := (t.QueuePerInstance == 0 || load <= t.QueuePerInstance/2) && (t.P99Ns == 0 || m.P99Ns <= t.P99Ns/2)
	switch {
	case hot:
		s.hot, s.cold = s.hot+1, 0
	case cold:
		s.hot, s.cold = 0, s.cold+1
	default:
		s.hot, s.cold = 0, 0
	}
	want := live
	switch {
	case s.hot >= h.UpAfter:
		want = live + 1
		if t.QueuePerInstance > 0 {
			want = max(want, int(math.Ceil(inFlight/t.QueuePerInstance)))
		}
		s.hot = 0
	case s.cold >= h.DownAfter:
		want = live - 1
		s.cold = 0
	}
	return min(max(want, t.Min, 1), max(t.Max, t.Min, 1))
}
