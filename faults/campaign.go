package faults

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/procplace"
	"github.com/mkos/mkos/ipc"
)

// Campaign configures a fault-injection campaign. Zero fields take the
// defaults said on each.
type Campaign struct {
	// Mode places the servers (default micro); with Base set and Mode
	// empty, Base's mode.
	Mode boot.Mode
	// Isolation is the user-space servers' isolation (boot's isolation:):
	// "" or task, or process, each server that can in a host process.
	Isolation string
	// Base is a boot configuration whose placements are kept; ConfigPath
	// is its file, for the replay command.
	Base       *boot.Config
	ConfigPath string
	// Workload is one of Workloads (default mixed).
	Workload string
	// Count is the number of faults to inject in all (default 100).
	Count int
	// PerRun is the number of faults injected in one run of the workload
	// (default 20); Count/PerRun runs are made.
	PerRun int
	// Seed seeds the campaign: run i is seeded with Seed+i.
	Seed uint64
	// Targets are the services to inject into (default all of
	// AllTargets); those the booted system lacks or the workload never
	// calls are left out, and said so.
	Targets []string
	// Kinds are the faults to inject (default all four, unless HostKinds
	// are given).
	Kinds []ipc.Injection
	// HostKinds are the host faults to inject into the servers placed in
	// processes (Isolation process): a real SIGKILL, exit, stack
	// overflow... in the server process (procplace.HostFault).
	HostKinds []procplace.HostFault
	// GapNs is the mean virtual time from one fault striking to the next
	// being armed (default 2 ms); each gap is drawn uniformly from 0 to
	// twice that.
	GapNs int64
	// SlowNs is the delay of a slow fault (default 50 ms).
	SlowNs int64
	// MaxTimeNs stops each run at this virtual time (default an hour, a
	// safety net no run reaches). A run stopped there is counted in
	// Report.CutOff and its invariants are not checked: it did not end.
	MaxTimeNs int64
	// Parallel is the number of runs at once (default GOMAXPROCS).
	Parallel int
	// Progress, when set, is told of each run as it ends.
	Progress func(done, total int)
}

// AllTargets are the services a campaign can inject into.
var AllTargets = []string{"fs", "disk", "mm", "tty", "ds", "pm", "net"}

// AllKinds are the injectable faults.
var AllKinds = []ipc.Injection{ipc.InjectCrash, ipc.InjectHang, ipc.InjectGarbage, ipc.InjectSlow}

// Defaults.
const (
	DefaultCount  = 100
	DefaultPerRun = 20
	DefaultGapNs  = 2_000_000
	DefaultSlowNs = 50_000_000
)

// defaults fills the zero fields and checks the rest.
func (c *Campaign) defaults() error {
	if c.Mode == "" {
		c.Mode = boot.Micro
		if c.Base != nil {
			c.Mode = c.Base.Mode
		}
	}
	if c.Workload == "" {
		c.Workload = "mixed"
	}
	if Workloads[c.Workload] == nil {
		return fmt.Errorf("workload %q is not one of %s", c.Workload, strings.Join(WorkloadNames(), ", "))
	}
	if c.Count <= 0 {
		c.Count = DefaultCount
	}
	if c.PerRun <= 0 {
		c.PerRun = DefaultPerRun
	}
	c.PerRun = min(c.PerRun, c.Count)
	if len(c.Targets) == 0 {
		c.Targets = AllTargets
	}
	for _, t := range c.Targets {
		if !slices.Contains(AllTargets, t) {
			return fmt.Errorf("target %q is not one of %s", t, strings.Join(AllTargets, ", "))
		}
	}
	if len(c.Kinds) == 0 && len(c.HostKinds) == 0 {
		c.Kinds = AllKinds
	}
	if len(c.HostKinds) > 0 && c.Isolation != boot.IsolationProcess {
		return fmt.Errorf("host faults need the servers in processes (isolation process)")
	}
	if c.GapNs <= 0 {
		c.GapNs = DefaultGapNs
	}
	if c.SlowNs <= 0 {
		c.SlowNs = DefaultSlowNs
	}
	if c.MaxTimeNs <= 0 {
		c.MaxTimeNs = maxTimeNs
	}
	if c.Parallel <= 0 {
		c.Parallel = runtime.GOMAXPROCS(0)
	}
	return nil
}

// Runs is the number of runs the campaign makes.
func (c *Campaign) Runs() int { return (c.Count + c.PerRun - 1) / c.PerRun }

// Run runs the campaign and returns its report. The runs are spread over
// Parallel goroutines, each run a system of its own; the report is the
// same whatever the parallelism.
func Run(c Campaign) (*Report, error) {
	pc, err := Prepare(c)
	if err != nil {
		return nil, err
	}
	c, plan := pc.c, pc.p
	n := c.Runs()
	runs := make([]*RunResult, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	next, done := 0, 0
	var firstErr error
	for range min(c.Parallel, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				r, err := runOne(&c, plan, i)
				mu.Lock()
				runs[i] = r
				if err != nil && firstErr == nil {
					firstErr = err
				}
				done++
				if c.Progress != nil {
					c.Progress(done, n)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return summarize(&c, plan, runs), nil
}

// Replay returns the command that replays run i of c exactly: the same
// options, seeded with the run's seed, one run.
func (c *Campaign) Replay(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "mkos faults --mode %s --workload %s", c.Mode, c.Workload)
	if c.Isolation != "" {
		fmt.Fprintf(&b, " --isolation %s", c.Isolation)
	}
	if c.ConfigPath != "" {
		fmt.Fprintf(&b, " --config %s", c.ConfigPath)
	}
	var kinds []string
	for _, k := range c.Kinds {
		kinds = append(kinds, k.String())
	}
	for _, k := range c.HostKinds {
		kinds = append(kinds, k.String())
	}
	fmt.Fprintf(&b, " --targets %s --kinds %s --count %d --per-run %d --seed %d",
		strings.Join(c.Targets, ","), strings.Join(kinds, ","), c.PerRun, c.PerRun, c.Seed+uint64(i))
	if c.GapNs != DefaultGapNs {
		fmt.Fprintf(&b, " --gap %dns", c.GapNs)
	}
	if c.SlowNs != DefaultSlowNs {
		fmt.Fprintf(&b, " --slow %dns", c.SlowNs)
	}
	if c.MaxTimeNs != maxTimeNs {
		fmt.Fprintf(&b, " --max-time %dns", c.MaxTimeNs)
	}
	return b.String()
}
