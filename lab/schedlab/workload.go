package schedlab

import (
	"github.com/mkos/mkos/kernel"

	"fmt"
	"math"

	"github.com/mkos/mkos/sched"
)

// Job is one job of a workload, in OSTEP time units.
type Job struct {
	// Start is when the job enters the system (mlfq.py's startTime).
	Start int
	// Length is the CPU time the job needs. scheduler.py allows
	// fractions; the others take whole units.
	Length float64
	// Tickets is the job's lottery share (lottery.py).
	Tickets int
	// IOFreq makes the job do an I/O after every IOFreq units of CPU
	// (mlfq.py's ioFreq); 0 never.
	IOFreq int
}

// Workload is a set of jobs and the policy that runs them on one CPU.
type Workload struct {
	// Jobs are numbered by their index, as the tools number them.
	Jobs []Job
	// Policy names the sched policy (sched.Policies).
	Policy string
	// Params are the policy's parameters, quanta in ticks. Run adds its
	// own Wrap; Draw may be set by the caller.
	Params sched.Params
	// TicksPerUnit is how many kernel ticks make one OSTEP time unit; 1
	// unless a job length has decimals.
	TicksPerUnit int
	// IOUnits is how long an I/O takes (mlfq.py -i).
	IOUnits int
	// WholeQuantaUnits, when positive, charges a job whole quanta of
	// that many units: a job that wins a quantum in lottery.py holds the
	// CPU for all of it, even when it needs less.
	WholeQuantaUnits int
	// Trace, when set, also gets every kernel event of the run (mkos
	// sched --trace).
	Trace kernel.Tracer
	// MaxTimeNs, when positive, stops the run at this virtual time (mkos
	// sched --max-time); Run then fails with ErrTimeLimit if a job had
	// not finished. Without it the run stops at a bound every job meets.
	MaxTimeNs int64
}

// maxTicksPerUnit bounds TicksPerUnit: kernel.Config allows HZ up to 10^6,
// and one unit is one millisecond.
const maxTicksPerUnit = 1000

// unitNs is one OSTEP time unit: a millisecond of virtual time.
const unitNs = 1_000_000

// ticksPerUnitFor returns the smallest power of ten, at most
// maxTicksPerUnit, that makes every length a whole number of ticks.
func ticksPerUnitFor(lengths []float64) (int, error) {
	for scale := 1; scale <= maxTicksPerUnit; scale *= 10 {
		ok := true
		for _, l := range lengths {
			x := l * float64(scale)
			ok = ok && math.Abs(x-math.Round(x)) < 1e-6
		}
		if ok {
			return scale, nil
		}
	}
	return 0, fmt.Errorf("job lengths run in whole kernel ticks: use at most 3 decimals (have %v)", lengths)
}

// tickNs returns the length of one kernel tick in nanoseconds.
func (w *Workload) tickNs() int64 { return unitNs / int64(w.TicksPerUnit) }

// ticks converts units to ticks.
func (w *Workload) ticks(units float64) int64 {
	return int64(math.Round(units * float64(w.TicksPerUnit)))
}

// demandTicks returns the CPU time job j burns, in ticks.
func (w *Workload) demandTicks(j int) int64 {
	d := w.ticks(w.Jobs[j].Length)
	if q := w.ticks(float64(w.WholeQuantaUnits)); q > 0 {
		d = max((d+q-1)/q, 1) * q
	}
	return d
}

// bursts returns the CPU bursts of job j in ticks: the job does an I/O
// after each one but the last, after which it exits.
func (w *Workload) bursts(j int) []int64 {
	left := w.demandTicks(j)
	every := w.ticks(float64(w.Jobs[j].IOFreq))
	if every <= 0 || left == 0 {
		return []int64{left}
	}
	var b []int64
	for left > 0 {
		n := min(every, left)
		b = append(b, n)
		left -= n
	}
	return b
}

// boundTicks returns a time by which every job must have finished: all
// the CPU and I/O time, after the last start, twice over.
func (w *Workload) boundTicks() int64 {
	var total, last int64
	for j, job := range w.Jobs {
		b := w.bursts(j)
		total += w.demandTicks(j) + int64(len(b))*w.ticks(float64(w.IOUnits))
		last = max(last, w.ticks(float64(job.Start)))
	}
	return 2*(last+total) + 10
}
