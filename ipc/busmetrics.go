package ipc

// BusMetrics are the bus's numbers for one service, or for one instance of
// it: what `svc stats`, the live views, the benchmark report and the
// autoscaler all read, so that they agree. Times are virtual nanoseconds.
//
// The window fields cover the sliding window of virtual time that ends at
// NowNs and is WindowNs long (the kernel's BusWindowNs, or less early in
// a run): requests that arrived in it, and the latency and errno of those
// that finished in it.
type BusMetrics struct {
	// Requests and Errors count since boot: every request routed to the
	// service (or instance), and those answered with a non-zero errno or
	// failed.
	Requests, Errors int64
	// InFlight are the requests routed and not finished yet: queued at an
	// instance, being served, or waiting for an instance. Queue is the
	// part of them not yet received by any instance.
	InFlight, Queue int64
	// NowNs and WindowNs place the window.
	NowNs, WindowNs int64
	// Arrived, Done and Failed count the window's requests: arrived,
	// finished, and finished with an error.
	Arrived, Done, Failed int64
	// P50Ns, P99Ns and MaxNs are the latency of the requests that
	// finished in the window, from the request's routing to its reply:
	// the upper bound of the histogram bucket (a power of two) holding
	// the percentile, 0 when none finished.
	P50Ns, P99Ns, MaxNs int64
	// BusyNs is the sum of the latencies of the requests that finished in
	// the window: over WindowNs, the mean number in flight (AvgInFlight).
	BusyNs int64
}

// AvgInFlight is the mean number of requests in flight over the window
// (Little's law over the requests that finished in it): a queue length
// that one instant's dip does not hide.
func (m *BusMetrics) AvgInFlight() float64 {
	if m.WindowNs <= 0 {
		return 0
	}
	return float64(m.BusyNs) / float64(m.WindowNs)
}

// PerSec is the rate of requests arriving over the window, per second of
// virtual time.
func (m *BusMetrics) PerSec() float64 {
	if m.WindowNs <= 0 {
		return 0
	}
	return float64(m.Arrived) * 1e9 / float64(m.WindowNs)
}

// LatencyBuckets is the number of buckets of a latency histogram: bucket i
// counts latencies in [2^(i-1), 2^i) ns, the last one everything longer.
const LatencyBuckets = 40

// Percentile returns the q-th quantile (0..1) of latency histogram h: the
// upper bound of the bucket that holds it, 0 for an empty histogram.
func Percentile(h *[LatencyBuckets]int64, q float64) int64 {
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
	return int64(1) << (LatencyBuckets - 1)
}
