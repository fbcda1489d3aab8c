package live

import (
	"github.com/mkos/mkos/kernel"
)

// window keeps samples of the bus's per-service counters over a sliding
// window of virtual time: a rate, an error count or a latency percentile
// over the window is the difference between the newest sample and the
// oldest one inside it.
type window struct {
	spanNs  int64
	samples ring[sample]
}

// sample is the bus's counters at one virtual time.
type sample struct {
	t    int64
	svcs map[string]kernel.ServiceStats
}

func (w *window) init(spanNs, everyNs int64) {
	w.spanNs = spanNs
	w.samples.init(int(spanNs/everyNs) + 2)
}

func (w *window) add(t int64, svcs []kernel.ServiceInfo) {
	s := sample{t: t, svcs: make(map[string]kernel.ServiceStats, len(svcs))}
	for _, si := range svcs {
		s.svcs[si.Name] = si.Stats
	}
	w.samples.add(s)
}

// over returns the counters of service name accumulated over the window
// ending at now (whose counters are cur), and the window's length.
func (w *window) over(name string, now int64, cur kernel.ServiceStats) (kernel.ServiceStats, int64) {
	var base kernel.ServiceStats
	from := int64(0)
	for _, s := range w.samples.list() { // oldest first
		if s.t >= now-w.spanNs {
			base, from = s.svcs[name], s.t
			break
		}
	}
	d := cur
	d.Requests -= base.Requests
	d.Errors -= base.Errors
	d.Restarts -= base.Restarts
	d.LatencyNs -= base.LatencyNs
	for i := range d.Latency {
		d.Latency[i] -= base.Latency[i]
	}
	return d, now - from
}

// percentile returns the q-th quantile (0..1) of a latency histogram whose
// bucket i counts latencies in [2^(i-1), 2^i) ns: the bucket's upper
// bound, 0 for an empty histogram.
func percentile(h *[40]int64, q float64) int64 {
	var n int64
	for _, c := range h {
		n += c
	}
	if n == 0 {
		return 0
	}
	rank := int64(q*float64(n-1)) + 1
	var seen int64
	for i, c := range h {
		seen += c
		if seen >= rank {
			return int64(1) << i
		}
	}
	return int64(1) << (len(h) - 1)
}
