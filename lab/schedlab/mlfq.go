package schedlab

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/osteptool"
	"github.com/mkos/mkos/sched"
)

// MLFQOptions are the options of OSTEP's cpu-sched-mlfq/mlfq.py.
// DefaultMLFQOptions holds the tool's defaults. Queues are numbered as in
// the tool: NumQueues-1 is the highest.
type MLFQOptions struct {
	// Seed is -s.
	Seed int64
	// NumQueues, Quantum and Allotment are -n, -q and -a: that many
	// queues, each with the same time slice and allotment (in slices).
	NumQueues, Quantum, Allotment int
	// QuantumList and AllotmentList are -Q and -A: a slice and an
	// allotment per queue, highest first. -Q sets the number of queues.
	QuantumList, AllotmentList string
	// NumJobs, MaxLen and MaxIO are -j, -m and -M: random jobs.
	NumJobs, MaxLen, MaxIO int
	// Boost is -B: every Boost units all jobs move to the highest queue;
	// 0 never.
	Boost int
	// IOTime is -i: how long an I/O takes.
	IOTime int
	// Stay is -S: a job that does I/O keeps its queue with a fresh
	// allotment (the rule that lets a job game the scheduler).
	Stay bool
	// IOBump is -I: a job whose I/O is done goes to the front of its
	// queue.
	IOBump bool
	// JList is -l: start,run,ioFreq:start,run,ioFreq:... instead of
	// random jobs.
	JList string
}

// DefaultMLFQOptions returns mlfq.py's defaults.
func DefaultMLFQOptions() MLFQOptions {
	return MLFQOptions{NumQueues: 3, Quantum: 10, Allotment: 1, NumJobs: 3, MaxLen: 100, MaxIO: 10, IOTime: 5}
}

// mlfqTool is mlfq.py.
type mlfqTool struct {
	o     MLFQOptions
	jobs  []Job
	quant []int // slice per queue, in the tool's numbering
	allot []int // allotment per queue
}

// NewMLFQ returns the lab of mlfq.py's options, run by sched's mlfq policy.
func NewMLFQ(o MLFQOptions) (*Lab, error) {
	t := &mlfqTool{o: o}
	if err := t.makeQueues(); err != nil {
		return nil, err
	}
	if err := t.makeJobs(); err != nil {
		return nil, err
	}
	p := sched.Params{Queues: len(t.quant), BoostTicks: o.Boost, KeepLevelOnBlock: o.Stay, WokenToFront: o.IOBump,
		BoostLowestFirst: true}
	for i := len(t.quant) - 1; i >= 0; i-- { // sched lists the highest first
		p.LevelQuantumTicks = append(p.LevelQuantumTicks, t.quant[i])
		p.LevelAllotQuanta = append(p.LevelAllotQuanta, t.allot[i])
	}
	w := &Workload{Jobs: t.jobs, Policy: "mlfq", Params: p, TicksPerUnit: 1, IOUnits: o.IOTime}
	return &Lab{tool: t, work: w}, nil
}

// makeQueues sets each queue's slice and allotment as mlfq.py does, with
// its checks.
func (t *mlfqTool) makeQueues() error {
	o := t.o
	var err error
	n := o.NumQueues
	if o.QuantumList != "" {
		if t.quant, err = parseLevels(o.QuantumList, "-Q"); err != nil {
			return err
		}
		n = len(t.quant)
	} else {
		t.quant = repeat(o.Quantum, n)
	}
	if n < 1 {
		return fmt.Errorf("queues %d: need at least one", n)
	}
	if o.AllotmentList != "" {
		if t.allot, err = parseLevels(o.AllotmentList, "-A"); err != nil {
			return err
		}
		if len(t.allot) != n {
			return errors.New("number of allotments specified must match number of quantums")
		}
	} else {
		t.allot = repeat(o.Allotment, n)
	}
	for q := range n {
		if t.quant[q] < 1 {
			return fmt.Errorf("quantum length for queue %d is %d: must be at least 1", q, t.quant[q])
		}
		if t.allot[q] < 1 {
			return errors.New("allotment must be positive integer")
		}
	}
	return nil
}

// parseLevels parses a -Q or -A list, highest queue first, into values by
// queue number, lowest first.
func parseLevels(list, flag string) ([]int, error) {
	f := strings.Split(list, ",")
	v := make([]int, len(f))
	for i, s := range f {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%s %q: %q is not a number", flag, list, s)
		}
		v[len(f)-1-i] = n
	}
	return v, nil
}

func repeat(v, n int) []int {
	out := make([]int, max(n, 0))
	for i := range out {
		out[i] = v
	}
	return out
}

// makeJobs draws the random jobs as mlfq.py does, or parses -l.
func (t *mlfqTool) makeJobs() error {
	o := t.o
	if o.JList == "" {
		r := pyrand.New(o.Seed)
		for range o.NumJobs {
			// float64() rounds each product, as Python does: no fused
			// multiply-add.
			run := int(float64(r.Random()*float64(o.MaxLen-1)) + 1)
			io := int(float64(r.Random()*float64(o.MaxIO-1)) + 1)
			t.jobs = append(t.jobs, Job{Length: float64(run), IOFreq: io})
		}
	} else {
		for _, s := range strings.Split(o.JList, ":") {
			j, err := parseMLFQJob(s)
			if err != nil {
				return err
			}
			t.jobs = append(t.jobs, j)
		}
	}
	if len(t.jobs) == 0 {
		return errors.New("no jobs")
	}
	for i, j := range t.jobs {
		if j.Length < 1 || j.Start < 0 || j.IOFreq < 0 {
			return fmt.Errorf("job %d: start %d, run time %v, I/O frequency %d: need start >= 0, run time >= 1, frequency >= 0",
				i, j.Start, j.Length, j.IOFreq)
		}
	}
	if o.IOTime < 0 || o.Boost < 0 {
		return fmt.Errorf("I/O time %d, boost %d: must not be negative", o.IOTime, o.Boost)
	}
	return nil
}

// parseMLFQJob parses one "start,run,ioFreq" of -l.
func parseMLFQJob(s string) (Job, error) {
	f := strings.Split(s, ",")
	var v [3]int
	err := error(nil)
	for i := 0; i < len(f) && i < 3 && err == nil; i++ {
		v[i], err = strconv.Atoi(strings.TrimSpace(f[i]))
	}
	if len(f) != 3 || err != nil {
		return Job{}, errors.New("Badly formatted job string. Should be x1,y1,z1:x2,y2,z2:...\n" +
			"where x is the startTime, y is the runTime, and z is the I/O frequency.")
	}
	return Job{Start: v[0], Length: float64(v[1]), IOFreq: v[2]}, nil
}

func (t *mlfqTool) name() string   { return "mlfq.py" }
func (t *mlfqTool) policy() string { return "MLFQ" }

func (t *mlfqTool) writeHeader(w io.Writer) {
	fmt.Fprintf(w, "Here is the list of inputs:\nOPTIONS jobs %d\nOPTIONS queues %d\n", len(t.jobs), len(t.quant))
	for i := len(t.quant) - 1; i >= 0; i-- {
		fmt.Fprintf(w, "OPTIONS allotments for queue %2d is %3d\n", i, t.allot[i])
		fmt.Fprintf(w, "OPTIONS quantum length for queue %2d is %3d\n", i, t.quant[i])
	}
	fmt.Fprintf(w, "OPTIONS boost %d\nOPTIONS ioTime %d\nOPTIONS stayAfterIO %s\nOPTIONS iobump %s\n\n\n",
		t.o.Boost, t.o.IOTime, osteptool.PyBool(t.o.Stay), osteptool.PyBool(t.o.IOBump))
	fmt.Fprint(w, `For each job, three defining characteristics are given:
  startTime : at what time does the job enter the system
  runTime   : the total CPU time needed by the job to finish
  ioFreq    : every ioFreq time units, the job issues an I/O
              (the I/O takes ioTime units to complete)

Job List:
`)
	for i, j := range t.jobs {
		fmt.Fprintf(w, "  Job %2d: startTime %3d - runTime %3d - ioFreq %3d\n", i, j.Start, int(j.Length), j.IOFreq)
	}
	fmt.Fprintln(w)
}

func (t *mlfqTool) writeProblem(w io.Writer) {
	fmt.Fprint(w, `Compute the execution trace for the given workloads.
If you would like, also compute the response and turnaround
times for each of the jobs.

Use the -c flag to get the exact results when you are finished.

`)
}
