package ostepcpu

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/lab/osteptool"
)

// The instructions of process-run.py's processes.
const (
	doCompute = "cpu"
	doIO      = "io"
	doIODone  = "io_done"
)

// The process states, as the script prints them.
const (
	running = "RUNNING"
	ready   = "READY"
	done    = "DONE"
	blocked = "BLOCKED"
)

// proc is one process: the instructions it has left, its state, and the
// ticks at which its I/Os finish (all of them, past ones too).
type proc struct {
	code     []string
	state    string
	ioFinish []int64
}

// machine is process-run.py's scheduler class.
type machine struct {
	procs        []*proc
	cur          int
	switchOnEnd  bool // -S SWITCH_ON_END (else SWITCH_ON_IO)
	runImmediate bool // -I IO_RUN_IMMEDIATE (else IO_RUN_LATER)
	ioLength     int64
	out          io.Writer
	// trace, when set, receives the kernel's events of a run on the
	// kernel (tests).
	trace kernel.Tracer
}

func (m *machine) newProc() *proc {
	p := &proc{state: ready}
	m.procs = append(m.procs, p)
	return p
}

// assertionFailed is the script's assert tripping.
var assertionFailed = osteptool.PyError("AssertionError")

// move changes pid's state from want to to, as the script's move_to_*
// functions do, asserting the state it expects.
func (m *machine) move(pid int, want, to string) {
	if m.procs[pid].state != want {
		panic(assertionFailed)
	}
	m.procs[pid].state = to
}

// nextProc is next_proc: run pid, or else the next READY process after
// the current one, wrapping around; none leaves the current one current.
func (m *machine) nextProc(pid int) {
	if pid != -1 {
		m.cur = pid
		m.move(pid, ready, running)
		return
	}
	n := len(m.procs)
	for i := 1; i <= n; i++ {
		p := (m.cur + i) % n
		if m.procs[p].state == ready {
			m.cur = p
			m.move(p, ready, running)
			return
		}
	}
}

func (m *machine) count(states ...string) int {
	n := 0
	for _, p := range m.procs {
		if slices.Contains(states, p.state) {
			n++
		}
	}
	return n
}

// inFlight counts the I/Os that finish after now.
func (m *machine) inFlight(now int64) int {
	n := 0
	for _, p := range m.procs {
		for _, t := range p.ioFinish {
			if t > now {
				n++
			}
		}
	}
	return n
}

// checkIfDone is check_if_done: a running process with no instructions
// left is done, and the next one runs.
func (m *machine) checkIfDone() {
	if p := m.procs[m.cur]; len(p.code) == 0 && p.state == running {
		m.move(m.cur, running, done)
		m.nextProc(-1)
	}
}

// run is the script's run(): the trace, tick by tick, and the totals.
func (m *machine) run() (cpuBusy, ioBusy, clock int64, err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != assertionFailed {
				panic(r)
			}
			err = assertionFailed
		}
	}()
	if len(m.procs) == 0 {
		return 0, 0, 0, osteptool.PyError("TypeError: cannot unpack non-iterable NoneType object")
	}
	m.cur = 0
	m.move(0, ready, running)
	m.writeHeader()
	for m.count(ready, running, blocked) > 0 {
		clock++
		ioDone := m.finishIOs(clock)
		instr := ""
		if p := m.procs[m.cur]; p.state == running && len(p.code) > 0 {
			instr, p.code = p.code[0], p.code[1:]
			cpuBusy++
		}
		if m.writeTick(clock, ioDone, instr) {
			ioBusy++
		}
		if instr == doIO {
			m.move(m.cur, running, blocked)
			m.procs[m.cur].ioFinish = append(m.procs[m.cur].ioFinish, clock+m.ioLength+1)
			if !m.switchOnEnd {
				m.nextProc(-1)
			}
		}
		m.checkIfDone()
	}
	return cpuBusy, ioBusy, clock, nil
}

// writeHeader prints the trace's column titles.
func (m *machine) writeHeader() {
	fmt.Fprint(m.out, "Time")
	for pid := range m.procs {
		fmt.Fprintf(m.out, "%14s", fmt.Sprintf("PID:%2d", pid))
	}
	fmt.Fprintf(m.out, "%14s%14s\n", "CPU", "IOs")
}

// finishIOs wakes the processes whose I/O ends at clock, as -S and -I
// say, and reports whether any did.
func (m *machine) finishIOs(clock int64) bool {
	any := false
	for pid, p := range m.procs {
		if !slices.Contains(p.ioFinish, clock) {
			continue
		}
		any = true
		m.move(pid, blocked, ready)
		switch {
		case m.runImmediate:
			if m.cur != pid && m.procs[m.cur].state == running {
				m.move(m.cur, running, ready)
			}
			m.nextProc(pid)
		default:
			if m.switchOnEnd && m.count(ready, running) > 1 {
				// The script's branch: it would leave the current
				// process RUNNING too, but under SWITCH_ON_END the only
				// process ever blocked is the current one, so none is.
				m.nextProc(pid)
			}
			if m.count(ready, running) == 1 {
				m.nextProc(pid)
			}
		}
		m.checkIfDone()
	}
	return any
}

// writeTick prints one line of the trace and reports whether an I/O was
// in flight.
func (m *machine) writeTick(clock int64, ioDone bool, instr string) bool {
	mark := " "
	if ioDone {
		mark = "*"
	}
	fmt.Fprintf(m.out, "%3d%s", clock, mark)
	for pid, p := range m.procs {
		if pid == m.cur && instr != "" {
			fmt.Fprintf(m.out, "%14s", "RUN:"+instr)
		} else {
			fmt.Fprintf(m.out, "%14s", p.state)
		}
	}
	if instr == "" {
		fmt.Fprintf(m.out, "%14s", " ")
	} else {
		fmt.Fprintf(m.out, "%14s", "1")
	}
	n := m.inFlight(clock)
	if n > 0 {
		fmt.Fprintf(m.out, "%14s\n", strconv.Itoa(n))
	} else {
		fmt.Fprintf(m.out, "%10s\n", " ")
	}
	return n > 0
}
