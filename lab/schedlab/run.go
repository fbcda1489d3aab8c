package schedlab

import (
	"errors"
	"fmt"
	"math"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/sched"
)

// ErrTimeLimit is the error of a run stopped at Workload.MaxTimeNs with a
// job unfinished.
var ErrTimeLimit = errors.New("the virtual time limit was reached")

// hzPerTickPerUnit: one unit is a millisecond, so HZ is 1000 ticks per
// second for each tick in a unit.
const hzPerTickPerUnit = 1000

// runner is one kernel run of a workload.
type runner struct {
	w      *Workload
	k      *kernel.Kernel
	policy *labPolicy
	rec    kernel.Recorder
	tickNs int64

	labEp, idleEp ipc.Endpoint
	jobEp         []ipc.Endpoint       // by job
	jobAt         map[ipc.Endpoint]int // job by endpoint
	agenda        agenda
	finished      int
	err           error
}

// tracer is what the kernel reports to: the runner's recorder, and the
// workload's Trace too when it has one.
func (r *runner) tracer() kernel.Tracer {
	if r.w.Trace == nil {
		return &r.rec
	}
	return teeTracer{&r.rec, r.w.Trace}
}

// teeTracer passes each event to both its tracers.
type teeTracer [2]kernel.Tracer

func (t teeTracer) Event(e *kernel.Event) {
	t[0].Event(e)
	t[1].Event(e)
}

// Run runs w's jobs as tasks on a one-CPU kernel under w's policy and reads
// the schedule back from the kernel's trace. The kernel runs at HZ =
// 1000 × TicksPerUnit with the ideal cost profile, so one unit is one
// millisecond of virtual time and only the jobs' Compute takes time.
func Run(w *Workload) (*Result, error) {
	if len(w.Jobs) == 0 {
		return nil, errors.New("no jobs to run")
	}
	if w.TicksPerUnit < 1 || w.TicksPerUnit > maxTicksPerUnit {
		return nil, fmt.Errorf("ticks per unit %d: out of range 1..%d", w.TicksPerUnit, maxTicksPerUnit)
	}
	if err := w.checkSize(); err != nil {
		return nil, err
	}
	r := &runner{w: w, tickNs: w.tickNs(), jobEp: make([]ipc.Endpoint, len(w.Jobs)), jobAt: map[ipc.Endpoint]int{}}
	for j, job := range w.Jobs {
		r.agenda.add(w.ticks(float64(job.Start)), item{job: j, begin: true})
	}
	params := w.Params
	params.Wrap = func(inner sched.Policy) sched.Policy {
		r.policy = newLabPolicy(inner, w)
		return r.policy
	}
	ideal, err := kernel.LookupProfile("ideal")
	if err != nil {
		return nil, err
	}
	limitNs := w.boundTicks() * r.tickNs
	if w.MaxTimeNs > 0 {
		limitNs = min(limitNs, w.MaxTimeNs)
	}
	r.k, err = kernel.New(kernel.Config{CPUs: 1, Policy: w.Policy, Sched: params,
		HZ: hzPerTickPerUnit * w.TicksPerUnit, Profile: ideal, MaxTimeNs: limitNs,
		Trace: r.tracer(), NoPriorityInheritance: true})
	if err != nil {
		return nil, err
	}
	r.labEp = r.spawn(r.k.Spawn, kindLab, -1, ipc.TaskSpec{Name: "lab", Body: r.labTask})
	if err := r.k.Run(); err != nil {
		return nil, err
	}
	switch {
	case r.err != nil:
		return nil, r.err
	case r.policy.err != nil:
		return nil, r.policy.err
	case r.finished < len(w.Jobs) && limitNs == w.MaxTimeNs:
		return nil, fmt.Errorf("%d of %d jobs finished by %s: %w", r.finished, len(w.Jobs), kernel.FormatNs(limitNs), ErrTimeLimit)
	case r.finished < len(w.Jobs):
		return nil, fmt.Errorf("schedlab: %d of %d jobs finished by %s", r.finished, len(w.Jobs),
			kernel.FormatNs(w.boundTicks()*r.tickNs))
	}
	return r.result()
}

// maxRunTicks bounds the ticks a run may need. The kernel simulates every
// tick (about 2 µs and 350 bytes of trace each on these machines), so a
// run costs time in proportion to its length, not to the events the tools
// print: past this bound the lab says so instead of running for minutes or
// exhausting memory.
const maxRunTicks = 5_000_000

// checkSize refuses a workload longer than maxRunTicks, counting in
// floating point so that huge lengths cannot overflow.
func (w *Workload) checkSize() error {
	var need float64
	for j, job := range w.Jobs {
		need = max(need, float64(job.Start)) + job.Length + float64(len(w.bursts(j)))*float64(w.IOUnits)
	}
	need *= float64(w.TicksPerUnit)
	if need > maxRunTicks || math.IsNaN(need) {
		return fmt.Errorf("the jobs need %.6g ticks of virtual time; mkos simulates every tick and stops at %d (use shorter jobs, or fewer decimals)", need, maxRunTicks)
	}
	return nil
}

// spawn creates a task with spawnFn, telling the policy what it is first.
func (r *runner) spawn(spawnFn func(ipc.TaskSpec) (ipc.Endpoint, error), k taskKind, j int, spec ipc.TaskSpec) ipc.Endpoint {
	r.policy.announce(k, j)
	ep, err := spawnFn(spec)
	if err != nil {
		r.fail(fmt.Errorf("spawn %s: %w", spec.Name, err))
		return 0
	}
	r.policy.register(int(ep.Slot()))
	return ep
}

// fail records the first error of the run.
func (r *runner) fail(err error) {
	if r.err == nil {
		r.err = fmt.Errorf("schedlab: %w", err)
	}
}
