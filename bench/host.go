package bench

import (
	"runtime"
	"slices"
	"time"
)

// Host time. A workload is run with a growing number of operations until
// one run takes at least the bench time, as `go test -bench` does, and
// host ns and allocations per operation are read from that run. --repeat
// N does this N times and reports the median and the spread.

// hostTimer is the timer of one host-time run: wall time and heap
// allocations between ResetTimer and StopTimer.
type hostTimer struct {
	start   time.Time
	mallocs uint64
	elapsed time.Duration
	allocs  uint64
	running bool
}

func (h *hostTimer) ReportAllocs() {}

func (h *hostTimer) ResetTimer() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.mallocs, h.start, h.running = ms.Mallocs, time.Now(), true
}

func (h *hostTimer) StopTimer() {
	if !h.running {
		return
	}
	h.elapsed = time.Since(h.start)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.allocs, h.running = ms.Mallocs-h.mallocs, false
}

// HostSample is one host-time measurement.
type HostSample struct {
	Ops         int
	NsPerOp     float64
	AllocsPerOp float64
}

// measureHost runs w under s with more and more operations until a run
// lasts benchtime, and returns that run's figures.
func measureHost(w *Workload, s Setup, benchtime time.Duration) (HostSample, error) {
	n := 1
	for {
		var tm hostTimer
		if _, err := measure(w, s, n, &tm); err != nil {
			return HostSample{}, err
		}
		if tm.elapsed >= benchtime || n >= 1_000_000_000 {
			return HostSample{Ops: n, NsPerOp: float64(tm.elapsed.Nanoseconds()) / float64(n),
				AllocsPerOp: float64(tm.allocs) / float64(n)}, nil
		}
		n = nextN(n, tm.elapsed, benchtime)
	}
}

// nextN predicts the operations that fill benchtime, growing by at least
// one and at most 100 times, with a fifth more for good measure (as the
// testing package does).
func nextN(n int, took, benchtime time.Duration) int {
	perOp := max(took.Nanoseconds()/int64(n), 1)
	want := int(benchtime.Nanoseconds() / perOp * 6 / 5)
	return min(max(want, n+1), 100*n, 1_000_000_000)
}

// Spread is the median of samples and how far they spread.
type Spread struct {
	Median, Min, Max float64
}

// spread summarizes samples.
func spread(samples []float64) Spread {
	if len(samples) == 0 {
		return Spread{}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Spread{Median: m, Min: s[0], Max: s[len(s)-1]}
}

// Relative is the spread as a fraction of the median: (max-min)/median.
func (s Spread) Relative() float64 {
	if s.Median == 0 {
		return 0
	}
	return (s.Max - s.Min) / s.Median
}
