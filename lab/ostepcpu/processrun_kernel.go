package ostepcpu

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/sched"
)

// process-run.py on the kernel. LECTURE: ostep-process-run
//
// Each of the script's processes is a kernel task on a one-CPU kernel
// with the ideal cost profile, scheduled by switchPolicy
// (processrun_policy.go). A task runs its instructions one tick (instrNs)
// of Compute each; after an io it blocks in a Sleep of -L ticks (with -L
// 0, a Yield: it gives the CPU up and is ready again at once). The trace
// is read from the kernel: at the middle of every tick an observer
// (kernel.Observe) has recorded each task's state — running, ready,
// sleeping, or gone — and how much CPU time it has used, which says which
// of its instructions it runs. The run ends when the last task exits; the
// stats are the trace's counts.
//
// A program with no instructions is the one case left to the book's
// model (machine.go): the script gives such a process a tick of the CPU
// in which it runs nothing, which no task does. So is a run that could
// last past maxKernelTicks, where virtual time in ns would overflow.

// instrNs is the virtual time of one instruction: one tick at HZ 1000.
const instrNs int64 = 1_000_000

// maxKernelTicks bounds the ticks process-run simulates on the kernel.
const maxKernelTicks = 1e12

// Process states as the trace reads them from the kernel.
const (
	taskRunning  = "running"
	taskReady    = "ready"
	taskSleeping = "sleeping"
)

// procView is one process in one tick: its state as the script names it,
// and the instruction it runs when running.
type procView struct {
	state string
	instr string
}

// onKernel reports whether m's run can come from the kernel.
func (m *machine) onKernel() bool {
	var ticks float64
	for _, p := range m.procs {
		if len(p.code) == 0 {
			return false
		}
		ticks += float64(len(p.code)) * (float64(m.ioLength) + 1)
	}
	return m.ioLength >= 0 && ticks <= maxKernelTicks
}

// runOnKernel runs m's processes as kernel tasks and passes row the state
// of every process in every tick, as the kernel had them, tick by tick.
// It returns the number of ticks.
func (m *machine) runOnKernel(row func([]procView)) (int64, error) {
	var k *kernel.Kernel
	now := func() int64 { return k.CPUViews()[0].NowNs }
	pol := newSwitchPolicy(m, now)
	ideal, err := kernel.LookupProfile("ideal")
	if err != nil {
		return 0, err
	}
	var limit int64 = 2
	for _, p := range m.procs {
		limit += int64(len(p.code)) * (m.ioLength + 1)
	}
	// Wrap puts the script's policy in place of the one named.
	k, err = kernel.New(kernel.Config{CPUs: 1, Policy: "fifo", HZ: 1000, Profile: ideal,
		MaxTimeNs: limit * instrNs, Trace: m.trace, Sched: sched.Params{Wrap: func(sched.Policy) sched.Policy { return pol }}})
	if err != nil {
		return 0, err
	}
	s := &sampler{k: k, m: m, row: row}
	for pid, p := range m.procs {
		ep, err := k.Spawn(ipc.TaskSpec{Name: fmt.Sprintf("pid%d", pid), Body: m.body(p.code, &s.err)})
		if err != nil {
			return 0, err
		}
		s.eps = append(s.eps, ep)
	}
	s.last = s.snapshot()
	k.Observe(s.observe)
	if err := k.Run(); err != nil {
		return 0, err
	}
	if s.err != nil {
		return 0, s.err
	}
	if !s.allDone(s.last) {
		return 0, fmt.Errorf("process-run: the tasks did not finish by tick %d", limit)
	}
	return s.ticks, nil
}

// body is a process's task: each instruction a tick of CPU, each I/O a
// blocking wait of -L ticks. A failed wait ends it, and is put in failed.
func (m *machine) body(code []string, failed *error) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		for _, op := range code {
			sys.Compute(instrNs)
			if op != doIO {
				continue
			}
			if m.ioLength == 0 {
				sys.Yield()
			} else if err := sys.Sleep(m.ioLength * instrNs); err != nil {
				*failed = fmt.Errorf("process-run: an I/O's sleep: %w", err)
				return
			}
		}
	}
}

// sampler records the processes' states at the middle of every tick.
type sampler struct {
	k     *kernel.Kernel
	m     *machine
	eps   []ipc.Endpoint
	last  []procView       // the states at the latest safe point
	row   func([]procView) // takes each tick's states
	ticks int64            // the ticks passed to row
	err   error
}

// observe runs at every safe point: the ticks whose middle has passed
// took the states of the safe point before.
func (s *sampler) observe() {
	now := s.k.CPUViews()[0].NowNs
	for s.ticks*instrNs+instrNs/2 < now {
		s.row(s.last)
		s.ticks++
	}
	s.last = s.snapshot()
}

// snapshot reads each process's state from the kernel's task table.
func (s *sampler) snapshot() []procView {
	byEp := map[ipc.Endpoint]kernel.TaskView{}
	for _, v := range s.k.TaskViews() {
		byEp[v.Endpoint] = v
	}
	out := make([]procView, len(s.eps))
	for pid, ep := range s.eps {
		v, alive := byEp[ep]
		switch {
		case !alive:
			out[pid] = procView{state: done}
		case v.State == taskRunning:
			code := s.m.procs[pid].code
			i := v.RanNs / instrNs
			if i >= int64(len(code)) {
				out[pid] = procView{state: running} // exiting
			} else {
				out[pid] = procView{state: running, instr: code[i]}
			}
		case v.State == taskReady:
			out[pid] = procView{state: ready}
		case v.State == taskSleeping:
			out[pid] = procView{state: blocked}
		default:
			if s.err == nil {
				s.err = fmt.Errorf("process-run: task %d is %s", pid, v.State)
			}
		}
	}
	return out
}

func (s *sampler) allDone(row []procView) bool {
	for _, v := range row {
		if v.state != done {
			return false
		}
	}
	return true
}

// traceWriter prints the trace tick by tick as the script prints its
// own, and counts the stats: the ticks in which a process ran an
// instruction, and those with an I/O in flight (a process blocked).
// A tick is marked * when an I/O ended at its start: a process blocked in
// the tick before is not now (with -L 0, one ran its io in the tick before).
type traceWriter struct {
	m               *machine
	prev            []procView
	tick            int64
	cpuBusy, ioBusy int64
}

// row prints one tick.
func (w *traceWriter) row(row []procView) {
	m := w.m
	ended := false
	for pid, v := range w.prev {
		ended = ended || (v.state == blocked && row[pid].state != blocked) ||
			(m.ioLength == 0 && v.instr == doIO)
	}
	w.prev = row
	w.tick++
	mark := " "
	if ended {
		mark = "*"
	}
	fmt.Fprintf(m.out, "%3d%s", w.tick, mark)
	instr, nBlocked := "", 0
	for _, v := range row {
		if v.instr != "" {
			instr = v.instr
			fmt.Fprintf(m.out, "%14s", "RUN:"+v.instr)
		} else {
			fmt.Fprintf(m.out, "%14s", v.state)
		}
		if v.state == blocked {
			nBlocked++
		}
	}
	if instr == "" {
		fmt.Fprintf(m.out, "%14s", " ")
	} else {
		fmt.Fprintf(m.out, "%14s", "1")
		w.cpuBusy++
	}
	if nBlocked > 0 {
		fmt.Fprintf(m.out, "%14d\n", nBlocked)
		w.ioBusy++
	} else {
		fmt.Fprintf(m.out, "%10s\n", " ")
	}
}
