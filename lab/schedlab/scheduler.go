package schedlab

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/osteptool"
	"github.com/mkos/mkos/sched"
)

// SchedulerOptions are the options of OSTEP's cpu-sched/scheduler.py.
// DefaultSchedulerOptions holds the tool's defaults.
type SchedulerOptions struct {
	// Policy is -p: scheduler.py's FIFO, SJF or RR, or the name of any
	// other policy in sched.Policies (a student's own, say), which runs
	// the same jobs and is reported in the same format (policyName).
	Policy string
	// Jobs, MaxLen and Seed are -j, -m and -s: that many random jobs of
	// length 1..MaxLen, drawn from the seed.
	Jobs, MaxLen int
	Seed         int64
	// JList is -l: comma-separated run times, instead of random jobs.
	JList string
	// Quantum is -q: RR's time slice.
	Quantum int
}

// DefaultSchedulerOptions returns scheduler.py's defaults.
func DefaultSchedulerOptions() SchedulerOptions {
	return SchedulerOptions{Policy: "FIFO", Jobs: 3, MaxLen: 10, Quantum: 1}
}

// schedulerPolicies maps scheduler.py's policies to sched's.
var schedulerPolicies = map[string]string{"FIFO": "fifo", "SJF": "sjf", "RR": "rr"}

// policyName is the sched policy -p names: scheduler.py's three by their
// names, any other in sched.Policies by its table name in any case. MLFQ
// and LOTTERY have their own tools (mkos sched mlfq, mkos sched lottery).
func policyName(p string) (string, error) {
	if name, ok := schedulerPolicies[p]; ok {
		return name, nil
	}
	name := strings.ToLower(p)
	if _, ok := sched.Policies[name]; ok && name != "mlfq" && name != "lottery" {
		return name, nil
	}
	return "", fmt.Errorf("policy %q: scheduler.py has FIFO, SJF and RR, and sched.Policies has %s (for MLFQ and LOTTERY, see mkos sched mlfq and mkos sched lottery)",
		p, strings.Join(sched.Names(), ", "))
}

// schedulerTool is scheduler.py.
type schedulerTool struct {
	o    SchedulerOptions
	jobs []Job
	// ran are the lengths the kernel ran: the jobs' own, or their ranks
	// (ranked) when the jobs are too long to simulate tick by tick.
	ran    []float64
	ranked bool
}

// NewScheduler returns the lab of scheduler.py's options: FIFO, SJF or RR
// on jobs that all arrive at time 0.
func NewScheduler(o SchedulerOptions) (*Lab, error) {
	policy, err := policyName(o.Policy)
	if err != nil {
		return nil, err
	}
	if o.Quantum < 1 {
		return nil, fmt.Errorf("quantum %d: must be at least 1", o.Quantum)
	}
	t := &schedulerTool{o: o}
	if err := t.makeJobs(); err != nil {
		return nil, err
	}
	var lengths []float64
	for _, j := range t.jobs {
		lengths = append(lengths, j.Length)
	}
	t.ran = lengths
	if (policy == "fifo" || policy == "sjf") && tooLong(t.jobs) {
		// Only the order matters to FIFO's and SJF's answers: the times
		// are the script's sums of the lengths (writeFIFO). The kernel
		// runs the jobs with their ranks for lengths, which FIFO and SJF
		// order as they order the lengths themselves, ties included.
		t.ran, t.ranked = ranks(lengths), true
	}
	scale, err := ticksPerUnitFor(append(slices.Clone(t.ran), float64(o.Quantum)))
	if err != nil {
		return nil, err
	}
	jobs := slices.Clone(t.jobs)
	for i := range jobs {
		jobs[i].Length = t.ran[i]
	}
	w := &Workload{Jobs: jobs, Policy: policy, TicksPerUnit: scale,
		Params: sched.Params{QuantumTicks: o.Quantum * scale}}
	l := &Lab{tool: t, work: w}
	if policy == "rr" && tooLong(t.jobs) {
		l.shrinkRR(scale)
	}
	return l, nil
}

// shrinkRR runs RR jobs too long to simulate tick by tick on a kernel
// whose tick stands for g of the lab's, g the greatest common divisor of
// every length and the quantum in ticks: every event of RR's schedule
// falls on a multiple of g, so the shrunk run makes the same decisions,
// and its result stretched by g is the real one (Lab.Run). With no such
// g (or a run still too long) the lab refuses as before.
func (l *Lab) shrinkRR(scale int) {
	w := l.work
	g := int64(w.Params.QuantumTicks)
	for _, j := range w.Jobs {
		x := j.Length * float64(scale)
		if x > 1<<62 {
			return
		}
		g = gcd(g, int64(math.Round(x)))
	}
	if g <= 1 {
		return
	}
	jobs := slices.Clone(w.Jobs)
	for i := range jobs {
		jobs[i].Length = float64(int64(math.Round(jobs[i].Length*float64(scale))) / g)
	}
	shrunk := *w
	shrunk.Jobs, shrunk.TicksPerUnit = jobs, 1
	shrunk.Params.QuantumTicks = int(int64(w.Params.QuantumTicks) / g)
	l.work, l.stretch = &shrunk, g
	l.scale = scale
}

// gcd is the greatest common divisor of a and b (gcd(0, b) = b).
func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// tooLong reports whether the jobs, run back to back, need more ticks
// than the lab simulates (maxRunTicks).
func tooLong(jobs []Job) bool { return totalTicks(jobs) > maxRunTicks }

// ranks replaces each length by its rank among the distinct lengths: 0
// stays 0, the shortest other is 1, the next 2…
func ranks(lengths []float64) []float64 {
	distinct := slices.Clone(lengths)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	if len(distinct) > 0 && distinct[0] != 0 {
		distinct = append([]float64{0}, distinct...)
	}
	out := make([]float64, len(lengths))
	for i, l := range lengths {
		r, _ := slices.BinarySearch(distinct, l)
		out[i] = float64(r)
	}
	return out
}

// makeJobs draws the random jobs as scheduler.py does, or parses -l.
func (t *schedulerTool) makeJobs() error {
	if t.o.JList == "" {
		if t.o.Jobs < 1 {
			return fmt.Errorf("jobs %d: need at least one", t.o.Jobs)
		}
		r := pyrand.New(t.o.Seed)
		for range t.o.Jobs {
			t.jobs = append(t.jobs, Job{Length: float64(int(float64(t.o.MaxLen)*r.Random()) + 1)})
		}
		return nil
	}
	for _, s := range strings.Split(t.o.JList, ",") {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("job list %q: %q is not a run time", t.o.JList, s)
		}
		t.jobs = append(t.jobs, Job{Length: f})
	}
	return nil
}

func (t *schedulerTool) name() string   { return "scheduler.py" }
func (t *schedulerTool) policy() string { return t.o.Policy }

func (t *schedulerTool) writeHeader(w io.Writer) {
	fmt.Fprintln(w, "ARG policy", t.o.Policy)
	if t.o.JList == "" {
		fmt.Fprintf(w, "ARG jobs %d\nARG maxlen %d\nARG seed %d\n", t.o.Jobs, t.o.MaxLen, t.o.Seed)
	} else {
		fmt.Fprintln(w, "ARG jlist", t.o.JList)
	}
	fmt.Fprint(w, "\nHere is the job list, with the run time of each job: \n")
	for i, j := range t.jobs {
		length := osteptool.PyFloat(j.Length)
		if t.o.JList == "" {
			length = strconv.Itoa(int(j.Length))
		}
		fmt.Fprintf(w, "  Job %d ( length = %s )\n", i, length)
	}
	fmt.Fprint(w, "\n\n")
}

func (t *schedulerTool) writeProblem(w io.Writer) {
	fmt.Fprint(w, `Compute the turnaround time, response time, and wait time for each job.
When you are done, run this program again, with the same arguments,
but with -c, which will thus provide you with the answers. You can use
-s <somenumber> or your own job list (-l 10,15,20 for example)
to generate different problems for yourself.

`)
}
