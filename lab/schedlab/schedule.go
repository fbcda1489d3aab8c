package schedlab

import (
	"fmt"

	"github.com/mkos/mkos/kernel"
)

// Result is what the kernel did with a workload, read from its trace.
// Times are in kernel ticks; divide by TicksPerUnit for units.
type Result struct {
	TicksPerUnit int
	// Slices are the jobs' runs on the CPU in time order, from the
	// kernel's context switches. Runs of one job that only the lab task
	// interrupted are one slice; a job of length zero has one empty slice.
	Slices []Slice
	// PerTick[t] is the job that ran from tick t to t+1, -1 when none did.
	PerTick []int
	// States[t] is the policy's view of PerTick[t] when the tick was
	// charged to it (see PolicyState).
	States []PolicyState
	// Jobs holds each job's times.
	Jobs []JobTimes
	// Events are the jobs' starts, I/Os and exits in the order the kernel
	// saw them.
	Events []Event
	// EndTick is when the last job finished.
	EndTick int64
}

// Slice is one run of a job, from Start to End ticks.
type Slice struct {
	Job        int
	Start, End int64
}

// JobTimes are one job's times, in ticks.
type JobTimes struct {
	// Arrive is when the job was spawned; FirstRun when it first ran;
	// Finish when it exited.
	Arrive, FirstRun, Finish int64
	// CPU is the CPU time it got; IO the time it spent in I/O.
	CPU, IO int64
}

// Response is the time from arrival to first run.
func (j JobTimes) Response() int64 { return j.FirstRun - j.Arrive }

// Turnaround is the time from arrival to exit.
func (j JobTimes) Turnaround() int64 { return j.Finish - j.Arrive }

// Wait is the time the job was ready but not running.
func (j JobTimes) Wait() int64 { return j.Turnaround() - j.CPU - j.IO }

// EventKind says what happened to a job.
type EventKind uint8

// The job events.
const (
	Begin   EventKind = iota + 1 // spawned: the job enters the system
	IOStart                      // called the lab task: an I/O begins
	IODone                       // the lab task replied: the I/O is over
	Finish                       // exited
)

// Event is something that happened to a job at a tick.
type Event struct {
	Tick int64
	Job  int
	Kind EventKind
}

// result builds the Result from the recorded trace, and checks it against
// itself: the ticks the kernel charged, the slices and the CPU each job
// asked for must agree.
func (r *runner) result() (*Result, error) {
	res := &Result{TicksPerUnit: r.w.TicksPerUnit, Jobs: make([]JobTimes, len(r.w.Jobs))}
	var ticked []int // who the kernel charged each tick to
	run, since := -1, int64(0)
	for i := range r.rec.Events {
		e := &r.rec.Events[i]
		if e.T%r.tickNs != 0 {
			return nil, fmt.Errorf("schedlab: %s event at %d ns, between two ticks", e.Kind, e.T)
		}
		t := e.T / r.tickNs
		j, isJob := r.jobAt[e.Task]
		switch e.Kind {
		case kernel.EvSwitch:
			if run >= 0 {
				res.addSlice(run, since, t, r.w.demandTicks(run) == 0)
			}
			run, since = -1, t
			if p, ok := r.jobAt[e.Peer]; ok {
				run = p
			}
		case kernel.EvTick:
			if int64(len(ticked)) != t-1 {
				return nil, fmt.Errorf("schedlab: tick at %d follows %d ticks", t, len(ticked))
			}
			ticked = append(ticked, -1)
			if isJob {
				ticked[t-1] = j
			}
		case kernel.EvSpawn:
			if isJob {
				res.Jobs[j].Arrive = t
				res.Events = append(res.Events, Event{t, j, Begin})
			}
		case kernel.EvCall:
			if isJob && e.Peer == r.labEp {
				res.Events = append(res.Events, Event{t, j, IOStart})
			}
		case kernel.EvReply:
			if p, ok := r.jobAt[e.Peer]; ok && e.Task == r.labEp {
				res.Events = append(res.Events, Event{t, p, IODone})
			}
		case kernel.EvDeath:
			if isJob {
				res.Jobs[j].Finish = t
				res.EndTick = max(res.EndTick, t)
				res.Events = append(res.Events, Event{t, j, Finish})
			}
		}
	}
	return res, res.check(r, ticked)
}

// addSlice records that job ran from start to end, merging it into the
// job's previous slice when that one ends at start. An empty run counts
// only for a job that needs no CPU at all (empty).
func (res *Result) addSlice(job int, start, end int64, empty bool) {
	if n := len(res.Slices); n > 0 && res.Slices[n-1].Job == job && res.Slices[n-1].End == start {
		res.Slices[n-1].End = end
		return
	}
	if start < end || empty && !res.ran(job) {
		res.Slices = append(res.Slices, Slice{job, start, end})
	}
}

// ran reports whether job has a slice.
func (res *Result) ran(job int) bool {
	for _, s := range res.Slices {
		if s.Job == job {
			return true
		}
	}
	return false
}

// check fills the per-tick schedule and the jobs' times from the slices,
// and checks them against the ticks the kernel charged, the policy's
// states and the CPU each job asked for.
func (res *Result) check(r *runner, ticked []int) error {
	res.PerTick = make([]int, res.EndTick)
	for t := range res.PerTick {
		res.PerTick[t] = -1
	}
	for j := range res.Jobs {
		res.Jobs[j].FirstRun = -1
	}
	for _, s := range res.Slices {
		jt := &res.Jobs[s.Job]
		if jt.FirstRun < 0 {
			jt.FirstRun = s.Start
		}
		jt.CPU += s.End - s.Start
		for t := s.Start; t < s.End && t < res.EndTick; t++ {
			res.PerTick[t] = s.Job
		}
	}
	for j := range res.Jobs {
		jt := &res.Jobs[j]
		if want := r.w.demandTicks(j); jt.CPU != want || jt.FirstRun < 0 {
			return fmt.Errorf("schedlab: job %d ran %d ticks (first at %d), want %d", j, jt.CPU, jt.FirstRun, want)
		}
		jt.IO = int64(len(r.w.bursts(j))-1) * r.w.ticks(float64(r.w.IOUnits))
	}
	for t, j := range res.PerTick {
		if t < len(ticked) && ticked[t] != j {
			return fmt.Errorf("schedlab: tick %d: the kernel charged job %d, the switches say %d", t+1, ticked[t], j)
		}
	}
	res.States = r.policy.states[:min(len(r.policy.states), len(res.PerTick))]
	for t, s := range res.States {
		if s.Job != res.PerTick[t] {
			return fmt.Errorf("schedlab: tick %d: the policy charged job %d, the switches say %d", t+1, s.Job, res.PerTick[t])
		}
	}
	return nil
}
