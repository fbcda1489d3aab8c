package schedlab

import (
	"fmt"
	"sort"

	"github.com/mkos/mkos/ipc"
)

// The lab task and the jobs. LECTURE: sched-lab-tasks
//
// The kernel has no way to start a task at a later time and no device
// whose latency is a number of ticks, so the lab task does both, as a
// small server:
//
//  1. It supervises (it is notified of every death) and spawns the idle
//     task.
//  2. At each instant it does what is due, in the order it was planned:
//     it spawns the jobs that start then, and replies to the jobs whose
//     I/O is done (they were blocked in a Call to it).
//  3. While anything is planned, it sets a timer for the next instant;
//     then it receives: a timer or death notification, or a job's Call,
//     which is the start of an I/O — it plans the reply IOUnits later.
//  4. When every job has died, it kills the idle task and exits, and the
//     kernel's run ends.
//
// It takes no virtual time (the ideal profile), and the policy never sees
// it (labpolicy.go). A job is a plain task: it computes one CPU burst, and
// between bursts it calls the lab task for its I/O.

// ioRequest is the type of a job's I/O call to the lab task.
const ioRequest ipc.Type = 1

// notifyTimer is the lab task's timer bit.
const notifyTimer uint64 = 1

// item is one thing the lab task must do: start job, or end its I/O.
type item struct {
	job   int
	begin bool
}

// agenda holds what the lab task must do, by tick. Items due at the same
// tick keep the order they were added in, as mlfq.py's ioDone lists do:
// the jobs that start first, then the I/Os in the order they began.
type agenda struct {
	at map[int64][]item
	n  int
}

func (a *agenda) add(tick int64, it item) {
	if a.at == nil {
		a.at = map[int64][]item{}
	}
	a.at[tick] = append(a.at[tick], it)
	a.n++
}

// due removes and returns the items due at or before tick, oldest first.
func (a *agenda) due(tick int64) []item {
	var ticks []int64
	for t := range a.at {
		if t <= tick {
			ticks = append(ticks, t)
		}
	}
	sort.Slice(ticks, func(i, j int) bool { return ticks[i] < ticks[j] })
	var out []item
	for _, t := range ticks {
		out = append(out, a.at[t]...)
		delete(a.at, t)
	}
	a.n -= len(out)
	return out
}

// labTask is the lab task's body.
func (r *runner) labTask(sys ipc.Sys) {
	if err := sys.Supervise(); err != nil {
		r.fail(fmt.Errorf("lab task: supervise: %w", err))
		return
	}
	r.idleEp = r.spawn(sys.Spawn, kindIdle, -1, ipc.TaskSpec{Name: "idle", Body: idleTask})
	var m ipc.Message
	for r.finished < len(r.w.Jobs) && r.err == nil {
		now := sys.Now() / r.tickNs
		for _, it := range r.agenda.due(now) {
			r.do(sys, it)
		}
		var deadline int64
		if r.agenda.n > 0 {
			deadline = (now + 1) * r.tickNs
		}
		if err := sys.SetTimer(deadline, notifyTimer); err != nil {
			r.fail(fmt.Errorf("lab task: timer: %w", err))
			return
		}
		if err := sys.Receive(ipc.Any, &m); err != nil {
			r.fail(fmt.Errorf("lab task: receive: %w", err))
			return
		}
		if m.Type == ipc.Notification {
			r.countDeaths(sys)
			continue
		}
		j, ok := r.jobAt[m.Source]
		if !ok || m.Type != ioRequest {
			r.fail(fmt.Errorf("lab task: unexpected message %#x from %v", uint16(m.Type), m.Source))
			return
		}
		r.agenda.add(sys.Now()/r.tickNs+r.w.ticks(float64(r.w.IOUnits)), item{job: j})
	}
	if err := sys.Kill(r.idleEp); err != nil {
		r.fail(fmt.Errorf("lab task: kill idle: %w", err))
	}
}

// do starts a job, or ends its I/O.
func (r *runner) do(sys ipc.Sys, it item) {
	if !it.begin {
		reply := ipc.Message{Type: ioRequest}
		if err := sys.Reply(r.jobEp[it.job], &reply); err != nil {
			r.fail(fmt.Errorf("lab task: end the I/O of job %d: %w", it.job, err))
		}
		return
	}
	spec := ipc.TaskSpec{Name: fmt.Sprintf("job%d", it.job), Body: r.jobTask(it.job),
		LengthNs: max(r.w.demandTicks(it.job)*r.tickNs, 1), Tickets: r.w.Jobs[it.job].Tickets}
	ep := r.spawn(sys.Spawn, kindJob, it.job, spec)
	r.jobEp[it.job] = ep
	r.jobAt[ep] = it.job
}

// countDeaths reads the death notices and counts the jobs'.
func (r *runner) countDeaths(sys ipc.Sys) {
	for d, ok := sys.NextDeath(); ok; d, ok = sys.NextDeath() {
		j, isJob := r.jobAt[d.Task]
		switch {
		case !isJob:
		case d.Cause != "exit":
			r.fail(fmt.Errorf("job %d died: %s", j, d.Cause))
		default:
			r.finished++
		}
	}
}

// jobTask returns job j's body: its CPU bursts, with an I/O call to the lab
// task between two bursts.
func (r *runner) jobTask(j int) func(ipc.Sys) {
	bursts := r.w.bursts(j)
	return func(sys ipc.Sys) {
		req, reply := ipc.Message{Type: ioRequest}, ipc.Message{}
		for i, b := range bursts {
			sys.Compute(b * r.tickNs)
			if i == len(bursts)-1 {
				return
			}
			if err := sys.Call(r.labEp, &req, &reply); err != nil {
				panic(fmt.Sprintf("job %d: I/O: %v", j, err))
			}
		}
	}
}

// idleTask burns the CPU when no job can run, so that the clock ticks on.
func idleTask(sys ipc.Sys) {
	for {
		sys.Compute(1 << 60)
	}
}
