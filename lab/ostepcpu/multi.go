package ostepcpu

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// multiParser is multi.py's command line.
var multiParser = &optparse.Parser{Prog: "multi.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "the random seed"},
	{Short: "-j", Long: "--job_num", Dest: "job_num", Kind: optparse.IntKind, Default: "3", Help: "number of jobs in the system"},
	{Short: "-R", Long: "--max_run", Dest: "max_run", Kind: optparse.IntKind, Default: "100", Help: "max run time of random-gen jobs"},
	{Short: "-W", Long: "--max_wset", Dest: "max_wset", Kind: optparse.IntKind, Default: "200", Help: "max working set of random-gen jobs"},
	{Short: "-L", Long: "--job_list", Dest: "job_list", Default: "", Help: "provide a comma-separated list of job_name:run_time:working_set_size (e.g., a:10:100,b:10:50 means 2 jobs with run-times of 10, the first (a) with working set size=100, second (b) with working set size=50)"},
	{Short: "-p", Long: "--per_cpu_queues", Dest: "per_cpu_queues", Kind: optparse.True, Default: "False", Help: "per-CPU scheduling queues (not one)"},
	{Short: "-A", Long: "--affinity", Dest: "affinity", Default: "", Help: "a list of jobs and which CPUs they can run on (e.g., a:0.1.2,b:0.1 allows job a to run on CPUs 0,1,2 but b only on CPUs 0 and 1"},
	{Short: "-n", Long: "--num_cpus", Dest: "num_cpus", Kind: optparse.IntKind, Default: "2", Help: "number of CPUs"},
	{Short: "-q", Long: "--quantum", Dest: "time_slice", Kind: optparse.IntKind, Default: "10", Help: "length of time slice"},
	{Short: "-P", Long: "--peek_interval", Dest: "peek_interval", Kind: optparse.IntKind, Default: "30", Help: "for per-cpu scheduling, how often to peek at other schedule queue; 0 turns this off"},
	{Short: "-w", Long: "--warmup_time", Dest: "warmup_time", Kind: optparse.IntKind, Default: "10", Help: "time it takes to warm cache"},
	{Short: "-r", Long: "--warm_rate", Dest: "warm_rate", Kind: optparse.IntKind, Default: "2", Help: "how much faster to run with warm cache"},
	{Short: "-M", Long: "--cache_size", Dest: "cache_size", Kind: optparse.IntKind, Default: "100", Help: "cache size"},
	{Short: "-o", Long: "--rand_order", Dest: "random_order", Kind: optparse.True, Default: "False", Help: "has CPUs get jobs in random order"},
	{Short: "-t", Long: "--trace", Dest: "trace", Kind: optparse.True, Default: "False", Help: "enable basic tracing (show which jobs got scheduled)"},
	{Short: "-T", Long: "--trace_time_left", Dest: "trace_time_left", Kind: optparse.True, Default: "False", Help: "trace time left for each job"},
	{Short: "-C", Long: "--trace_cache", Dest: "trace_cache", Kind: optparse.True, Default: "False", Help: "trace cache status (warm/cold) too"},
	{Short: "-S", Long: "--trace_sched", Dest: "trace_sched", Kind: optparse.True, Default: "False", Help: "trace scheduler state"},
	{Short: "-c", Long: "--compute", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
}}

// multiJob is one of multi.py's jobs.
type multiJob struct {
	name          string
	runTime, wset int64
	affinity      []int64 // the CPUs it may run on; none: any
	timeLeft      int64
}

// allowed reports whether the job may run on cpu.
func (j *multiJob) allowed(cpu int) bool {
	return len(j.affinity) == 0 || slices.Contains(j.affinity, int64(cpu))
}

// multiStop is a message the script prints before exit(1).
type multiStop string

func (e multiStop) Error() string { return string(e) }

// Multi is cpu-sched-multi/multi.py: jobs with working sets on CPUs with
// caches that warm up, under one central queue or per-CPU queues with
// work stealing, optionally with CPU affinity.
func Multi(args []string, out, errw io.Writer) int {
	v, status, done := osteptool.Parse(multiParser, args, out, errw)
	if done {
		return status
	}
	r := pyrand.New(v.Int("seed"))
	b := osteptool.PyBool
	for _, kv := range [][2]string{
		{"seed", fmt.Sprint(v.Int("seed"))}, {"job_num", fmt.Sprint(v.Int("job_num"))}, {"max_run", fmt.Sprint(v.Int("max_run"))},
		{"max_wset", fmt.Sprint(v.Int("max_wset"))}, {"job_list", v.Str("job_list")}, {"affinity", v.Str("affinity")},
		{"per_cpu_queues", b(v.Bool("per_cpu_queues"))}, {"num_cpus", fmt.Sprint(v.Int("num_cpus"))}, {"quantum", fmt.Sprint(v.Int("time_slice"))},
		{"peek_interval", fmt.Sprint(v.Int("peek_interval"))}, {"warmup_time", fmt.Sprint(v.Int("warmup_time"))}, {"cache_size", fmt.Sprint(v.Int("cache_size"))},
		{"random_order", b(v.Bool("random_order"))}, {"trace", b(v.Bool("trace"))}, {"trace_time", b(v.Bool("trace_time_left"))},
		{"trace_cache", b(v.Bool("trace_cache"))}, {"trace_sched", b(v.Bool("trace_sched"))}, {"compute", b(v.Bool("solve"))},
	} {
		fmt.Fprintf(out, "ARG %s %s\n", kv[0], kv[1])
	}
	fmt.Fprintln(out)
	m := &multi{out: out, r: r, perCPU: v.Bool("per_cpu_queues"), cpus: int(v.Int("num_cpus")), slice: v.Int("time_slice"),
		peek: v.Int("peek_interval"), randomOrder: v.Bool("random_order"), solve: v.Bool("solve"),
		trace:     v.Bool("trace") || v.Bool("trace_time_left") || v.Bool("trace_cache") || v.Bool("trace_sched"),
		traceLeft: v.Bool("trace_time_left"), traceCache: v.Bool("trace_cache"), traceSched: v.Bool("trace_sched"),
		cacheSize: v.Int("cache_size"), warmRate: v.Int("warm_rate"), warmup: v.Int("warmup_time")}
	err := m.setup(v.Str("job_list"), v.Str("affinity"), v.Int("job_num"), v.Int("max_run"), v.Int("max_wset"))
	if err == nil {
		err = m.run()
	}
	switch e := err.(type) {
	case nil:
		return 0
	case multiStop:
		fmt.Fprintln(out, string(e))
		return 1
	}
	return osteptool.Traceback(errw, "multi.py", err)
}

// multi is one run of multi.py's machine.
type multi struct {
	out                                      io.Writer
	r                                        *pyrand.Rand
	perCPU, randomOrder, solve               bool
	trace, traceLeft, traceCache, traceSched bool
	cpus                                     int
	slice, peek                              int64
	cacheSize, warmRate, warmup              int64

	jobs    map[string]*multiJob
	names   []string   // the jobs, in the order given
	queues  [][]string // per CPU; all the same queue (central) unless -p
	central *[]string  // the central queue (not -p)
	running []string   // by CPU: the job running, "" when idle
	caches  []*multiCache
	ran     []int64 // ticks each CPU ran a job
	ranWarm []int64 // of which with a warm cache

	now      int64
	finished int
}

// setup makes the jobs (drawn, or -L), applies -A and fills the queues,
// printing as the script does.
func (m *multi) setup(list, affinity string, n, maxRun, maxWset int64) error {
	if list == "" {
		var l []string
		for j := range n {
			run := int64(m.r.Random()*float64(maxRun)/10.0) * 10
			ws := int64(m.r.Random()*float64(maxWset)/10.0) * 10
			l = append(l, fmt.Sprintf("%d:%d:%d", j, run, ws))
		}
		list = strings.Join(l, ",")
	}
	m.jobs = map[string]*multiJob{}
	for _, entry := range strings.Split(list, ",") {
		f := strings.Split(entry, ":")
		if len(f) != 3 {
			return multiStop(fmt.Sprintf("bad job description [%s]: needs triple of name:runtime:working_set_size", entry))
		}
		run, ok := optparse.Int(f[1])
		if !ok {
			return osteptool.IntError(f[1])
		}
		ws, ok := optparse.Int(f[2])
		if !ok {
			return osteptool.IntError(f[2])
		}
		m.jobs[f[0]] = &multiJob{name: f[0], runTime: run, wset: ws, timeLeft: run}
		fmt.Fprintf(m.out, "Job name:%s run_time:%d working_set_size:%d\n", f[0], run, ws)
		if slices.Contains(m.names, f[0]) {
			return multiStop("repeated job name " + f[0])
		}
		m.names = append(m.names, f[0])
	}
	fmt.Fprintln(m.out)
	if err := m.setAffinity(affinity); err != nil {
		return err
	}
	if m.cpus <= 0 {
		return fmt.Errorf("the script would loop forever: %d CPUs never finish a job", m.cpus)
	}
	m.fillQueues()
	m.running = make([]string, m.cpus)
	m.ran, m.ranWarm = make([]int64, m.cpus), make([]int64, m.cpus)
	for range m.cpus {
		m.caches = append(m.caches, &multiCache{jobs: m.jobs, size: m.cacheSize, warmRate: m.warmRate, warmup: m.warmup, counter: map[string]int64{}})
	}
	return nil
}

// setAffinity parses -A: job:cpu.cpu…, checked as the script checks it.
func (m *multi) setAffinity(affinity string) error {
	if affinity == "" {
		return nil
	}
	for _, entry := range strings.Split(affinity, ",") {
		f := strings.Split(entry, ":")
		if len(f) != 2 {
			return multiStop("bad affinity spec " + affinity)
		}
		j, ok := m.jobs[f[0]]
		if !ok || !slices.Contains(m.names, f[0]) {
			return multiStop(fmt.Sprintf("job name %s in affinity list does not exist", f[0]))
		}
		for _, s := range strings.Split(f[1], ".") {
			cpu, ok := optparse.Int(s)
			if !ok {
				return osteptool.IntError(s)
			}
			j.affinity = append(j.affinity, cpu)
			if cpu < 0 || cpu >= int64(m.cpus) {
				return multiStop(fmt.Sprintf("bad cpu %d specified in affinity %s", cpu, affinity))
			}
		}
	}
	return nil
}

// fillQueues puts the jobs in the central queue, or deals them to the
// CPUs' queues round robin, each to the next CPU it may run on.
func (m *multi) fillQueues() {
	m.queues = make([][]string, m.cpus)
	if !m.perCPU {
		q := slices.Clone(m.names)
		m.central = &q
		fmt.Fprintf(m.out, "Scheduler central queue: %s\n\n", pyList(q))
		return
	}
	left := slices.Clone(m.names)
	for len(left) > 0 {
		for cpu := range m.cpus {
			for i, name := range left {
				if m.jobs[name].allowed(cpu) {
					m.queues[cpu] = append(m.queues[cpu], name)
					left = slices.Delete(left, i, i+1)
					break
				}
			}
		}
	}
	for cpu := range m.cpus {
		fmt.Fprintf(m.out, "Scheduler CPU %d queue: %s\n", cpu, pyList(m.queues[cpu]))
	}
	fmt.Fprintln(m.out)
}

// pyList is Python's str() of a list of str.
func pyList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = optparse.Repr(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// queue returns cpu's run queue: its own (-p) or the central one.
func (m *multi) queue(cpu int) *[]string {
	if m.perCPU {
		return &m.queues[cpu]
	}
	return m.central
}
