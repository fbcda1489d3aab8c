package bench

import (
	"errors"
	"fmt"
	"slices"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/ipc/pmproto"
)

// The harness: boot a system for the workload, run its setup in a user
// task, then n operations between two readings of the counters. Host time
// is taken by the timer between the same two points; nothing measured
// ever feeds back into the simulated run.

// Env is what a workload's code gets in its benchmark task: the task's
// system calls, the stubs of the servers it needs, and room for its own
// state between operations.
type Env struct {
	Sys    ipc.Sys
	System *boot.System
	Setup  Setup
	FS     fsproto.Client
	MM     mmproto.Client
	PM     pmproto.Client
	// State is the workload's own, set by its Setup.
	State any
}

// Counts are what a run of Ops operations cost: virtual time, and the
// kernel's and the disk's counters over the operations only.
type Counts struct {
	Ops         int   `json:"ops"`
	VirtualNs   int64 `json:"virtual_ns"`
	Traps       int64 `json:"traps"`
	Messages    int64 `json:"messages"`
	KernelCalls int64 `json:"kernel_calls"`
	Switches    int64 `json:"switches"`
	BulkBytes   int64 `json:"bulk_bytes"`
	PageFaults  int64 `json:"page_faults"`
	Spawns      int64 `json:"spawns"`
	Seeks       int64 `json:"disk_seeks"`
	DiskOps     int64 `json:"disk_ops"`
	// Requests counts the requests each service's bus entry saw (a
	// direct link's requests bypass it).
	Requests map[string]int64 `json:"requests_by_service"`
}

// PerOp are Counts divided by the operations.
type PerOp struct {
	IPCs        float64 `json:"ipcs"`
	KernelCalls float64 `json:"kernel_calls"`
	Traps       float64 `json:"traps"`
	Switches    float64 `json:"switches"`
	BytesCopied float64 `json:"bytes_copied"`
	PageFaults  float64 `json:"page_faults"`
	Spawns      float64 `json:"spawns"`
	DiskSeeks   float64 `json:"disk_seeks"`
	DiskOps     float64 `json:"disk_ops"`
}

// PerOp divides the counts by the operations.
func (c Counts) PerOp() PerOp {
	n := float64(max(c.Ops, 1))
	return PerOp{IPCs: float64(c.Messages) / n, KernelCalls: float64(c.KernelCalls) / n, Traps: float64(c.Traps) / n,
		Switches: float64(c.Switches) / n, BytesCopied: float64(c.BulkBytes) / n, PageFaults: float64(c.PageFaults) / n,
		Spawns: float64(c.Spawns) / n, DiskSeeks: float64(c.Seeks) / n, DiskOps: float64(c.DiskOps) / n}
}

// timer is the part of testing.B the harness drives.
type timer interface {
	ReportAllocs()
	ResetTimer()
	StopTimer()
}

type nopTimer struct{}

func (nopTimer) ReportAllocs() {}
func (nopTimer) ResetTimer()   {}
func (nopTimer) StopTimer()    {}

// ErrTimeLimit is the error of a measurement whose system reached its
// virtual time limit (Setup.MaxTimeNs) before the operations ended.
var ErrTimeLimit = errors.New("the virtual time limit was reached before the operations ended")

// Measure boots a system for w under s, runs w's setup, and runs n
// operations timed by tm.
func Measure(w *Workload, s Setup, n int) (Counts, error) {
	return measure(w, s, n, nopTimer{})
}

func measure(w *Workload, s Setup, n int, tm timer) (Counts, error) {
	cfg, err := s.config(w)
	if err != nil {
		return Counts{}, err
	}
	sys, err := boot.Boot(cfg, nil)
	if err != nil {
		return Counts{}, err
	}
	defer sys.Close()
	if sys.Disk != nil {
		if err := sys.FormatDisk(); err != nil {
			return Counts{}, err
		}
	}
	var c Counts
	var failed error
	_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "bench", Body: func(t ipc.Sys) {
		c, failed = runOps(w, &Env{Sys: t, System: sys, Setup: s}, n, tm)
	}})
	if err != nil {
		return c, err
	}
	if _, err := sys.Run(); err != nil {
		return c, fmt.Errorf("%s in %s: %w", w.Name, s, err)
	}
	if sys.Kernel.TimeLimitHit() {
		return c, fmt.Errorf("%s in %s, %d operations: %w", w.Name, s, n, ErrTimeLimit)
	}
	if failed != nil {
		return c, fmt.Errorf("%s in %s: %w", w.Name, s, failed)
	}
	if c.Ops != n {
		return c, fmt.Errorf("%s in %s: the benchmark task died before it finished its %d operations", w.Name, s, n)
	}
	return c, nil
}

// runOps is the benchmark task: dial, set up, then n timed operations.
func runOps(w *Workload, e *Env, n int, tm timer) (Counts, error) {
	if err := e.dial(w.Needs); err != nil {
		return Counts{}, err
	}
	if w.Setup != nil {
		if err := w.Setup(e); err != nil {
			return Counts{}, fmt.Errorf("setup: %w", err)
		}
	}
	before := e.snapshot()
	tm.ReportAllocs()
	tm.ResetTimer()
	for i := range n {
		if err := w.Op(e, i); err != nil {
			tm.StopTimer()
			return Counts{}, fmt.Errorf("operation %d: %w", i, err)
		}
	}
	tm.StopTimer()
	after := e.snapshot()
	after.Ops = n
	if w.Teardown != nil {
		if err := w.Teardown(e); err != nil {
			return Counts{}, fmt.Errorf("teardown: %w", err)
		}
	}
	return after.minus(before), nil
}

// dial looks up the services the workload needs.
func (e *Env) dial(needs []string) error {
	var err error
	if slices.Contains(needs, fsproto.Name) {
		if e.FS, err = fsproto.Dial(e.Sys); err != nil {
			return err
		}
	}
	if slices.Contains(needs, pmproto.Name) {
		if e.PM, err = pmproto.Dial(e.Sys); err != nil {
			return err
		}
	}
	if slices.Contains(needs, mmproto.Name) {
		if e.MM, err = mmproto.Dial(e.Sys); err != nil {
			return err
		}
	}
	return nil
}

// snapshot reads the counters without a system call.
func (e *Env) snapshot() Counts {
	st := e.System.Kernel.Stats()
	c := Counts{VirtualNs: e.Sys.Now(), Traps: st.Traps, Messages: st.Messages, KernelCalls: st.KernelCalls,
		Switches: st.Switches, BulkBytes: st.BulkBytes, PageFaults: st.PageFaults, Spawns: st.Spawns}
	if d := e.System.Disk; d != nil {
		ds := d.Stats()
		c.Seeks, c.DiskOps = ds.Seeks, ds.Reads+ds.Writes
	}
	c.Requests = map[string]int64{}
	for _, si := range e.System.Kernel.Services() {
		c.Requests[si.Name] = si.Stats.Requests
	}
	return c
}

func (c Counts) minus(b Counts) Counts {
	out := Counts{Ops: c.Ops, VirtualNs: c.VirtualNs - b.VirtualNs, Traps: c.Traps - b.Traps,
		Messages: c.Messages - b.Messages, KernelCalls: c.KernelCalls - b.KernelCalls,
		Switches: c.Switches - b.Switches, BulkBytes: c.BulkBytes - b.BulkBytes,
		PageFaults: c.PageFaults - b.PageFaults, Spawns: c.Spawns - b.Spawns, Seeks: c.Seeks - b.Seeks,
		DiskOps: c.DiskOps - b.DiskOps, Requests: map[string]int64{}}
	for name, n := range c.Requests {
		if d := n - b.Requests[name]; d > 0 {
			out.Requests[name] = d
		}
	}
	return out
}
