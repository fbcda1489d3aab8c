package ostepcpu

import (
	"fmt"
	"io"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// Tools are this package's simulators.
var Tools = []osteptool.Tool{
	{Name: "process-run", Chapter: "4 Processes", Main: ProcessRun, OnKernel: "unless a process has no instructions"},
	{Name: "fork", Chapter: "5 Process API", Main: Fork},
	{Name: "multi", Chapter: "10 Multiprocessor Scheduling", Main: Multi},
}

// processRunParser is process-run.py's command line.
var processRunParser = &optparse.Parser{Prog: "process-run.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "the random seed"},
	{Short: "-P", Long: "--program", Dest: "program", Default: "", Help: "more specific controls over programs"},
	{Short: "-l", Long: "--processlist", Dest: "process_list", Default: "", Help: "a comma-separated list of processes to run, in the form X1:Y1,X2:Y2,... where X is the number of instructions that process should run, and Y the chances (from 0 to 100) that an instruction will use the CPU or issue an IO (i.e., if Y is 100, a process will ONLY use the CPU and issue no I/Os; if Y is 0, a process will only issue I/Os)"},
	{Short: "-L", Long: "--iolength", Dest: "io_length", Kind: optparse.IntKind, Default: "5", Help: "how long an IO takes"},
	{Short: "-S", Long: "--switch", Dest: "process_switch_behavior", Default: "SWITCH_ON_IO", Help: "when to switch between processes: SWITCH_ON_IO, SWITCH_ON_END"},
	{Short: "-I", Long: "--iodone", Dest: "io_done_behavior", Default: "IO_RUN_LATER", Help: "type of behavior when IO ends: IO_RUN_LATER, IO_RUN_IMMEDIATE"},
	{Short: "-c", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
	{Short: "-p", Long: "--printstats", Dest: "print_stats", Kind: optparse.True, Default: "False", Help: "print statistics at end; only useful with -c flag (otherwise stats are not printed)"},
}}

// ProcessRun is cpu-intro/process-run.py: processes that compute and do
// I/O, switched as -S and -I say, traced tick by tick.
func ProcessRun(args []string, out, errw io.Writer) int {
	v, status, done := osteptool.Parse(processRunParser, args, out, errw)
	if done {
		return status
	}
	r := pyrand.New(v.Int("seed"))
	onEnd, immediate := v.Str("process_switch_behavior"), v.Str("io_done_behavior")
	if (onEnd != "SWITCH_ON_IO" && onEnd != "SWITCH_ON_END") || (immediate != "IO_RUN_IMMEDIATE" && immediate != "IO_RUN_LATER") {
		return osteptool.Traceback(errw, "process-run.py", osteptool.PyError("AssertionError"))
	}
	m := &machine{switchOnEnd: onEnd == "SWITCH_ON_END", runImmediate: immediate == "IO_RUN_IMMEDIATE", ioLength: v.Int("io_length"), out: out}
	if err := m.loadAll(r, v.Str("program"), v.Str("process_list")); err != nil {
		if e, ok := err.(exitError); ok {
			fmt.Fprint(out, string(e))
			return 1
		}
		return osteptool.Traceback(errw, "process-run.py", err)
	}
	if m.ioLength < 0 {
		return osteptool.Traceback(errw, "process-run.py", osteptool.PyError("AssertionError"))
	}
	if !v.Bool("solve") {
		m.writeProblem()
		return 0
	}
	cpuBusy, ioBusy, clock, err := m.solve()
	if err != nil {
		return osteptool.Traceback(errw, "process-run.py", err)
	}
	if v.Bool("print_stats") {
		fmt.Fprintf(out, "\nStats: Total Time %d\n", clock)
		fmt.Fprintf(out, "Stats: CPU Busy %d (%.2f%%)\n", cpuBusy, 100.0*float64(cpuBusy)/float64(clock))
		fmt.Fprintf(out, "Stats: IO Busy  %d (%.2f%%)\n\n", ioBusy, 100.0*float64(ioBusy)/float64(clock))
	}
	return 0
}

// solve prints the trace: the kernel's (processrun_kernel.go) when it
// can run the processes, else the book's model (machine.go).
func (m *machine) solve() (cpuBusy, ioBusy, clock int64, err error) {
	if !m.onKernel() {
		return m.run()
	}
	m.writeHeader()
	w := &traceWriter{m: m}
	clock, err = m.runOnKernel(w.row)
	return w.cpuBusy, w.ioBusy, clock, err
}

// exitError is what the script prints before exit(1).
type exitError string

func (e exitError) Error() string { return string(e) }

// loadAll loads -P's programs (colon-separated) or else -l's random
// processes (comma-separated), in order.
func (m *machine) loadAll(r *pyrand.Rand, program, list string) error {
	if program != "" {
		for _, p := range strings.Split(program, ":") {
			if err := m.loadProgram(p); err != nil {
				return err
			}
		}
		return nil
	}
	for _, p := range strings.Split(list, ",") {
		if err := m.load(r, p); err != nil {
			return err
		}
	}
	return nil
}

// loadProgram is load_program: c7,i,c1,i is compute 7, I/O, compute 1, I/O.
func (m *machine) loadProgram(program string) error {
	p := m.newProc()
	for _, op := range strings.Split(program, ",") {
		if op == "" {
			return osteptool.PyError("IndexError: string index out of range")
		}
		switch op[0] {
		case 'c':
			n, ok := optparse.Int(op[1:])
			if !ok {
				return osteptool.IntError(op[1:])
			}
			for range n {
				p.code = append(p.code, doCompute)
			}
		case 'i':
			p.code = append(p.code, doIO, doIODone)
		default:
			return exitError(fmt.Sprintf("bad opcode %s (should be c or i)\n", op[:1]))
		}
	}
	return nil
}

// load is load: X:Y is X instructions, each a CPU one with chance Y%.
func (m *machine) load(r *pyrand.Rand, desc string) error {
	p := m.newProc()
	parts := strings.Split(desc, ":")
	if len(parts) != 2 {
		return exitError(fmt.Sprintf("Bad description (%s): Must be number <x:y>\n  where X is the number of instructions\n  and Y is the percent change that an instruction is CPU not IO\n", desc))
	}
	n, ok := optparse.Int(parts[0])
	if !ok {
		return osteptool.IntError(parts[0])
	}
	chance, ok := optparse.PyFloat(parts[1])
	if !ok {
		return osteptool.PyError("ValueError: could not convert string to float: " + optparse.Repr(parts[1]))
	}
	chance /= 100.0
	for range n {
		if r.Random() < chance {
			p.code = append(p.code, doCompute)
		} else {
			p.code = append(p.code, doIO, doIODone)
		}
	}
	return nil
}

// writeProblem prints the homework: each process's instructions and the
// behaviours chosen.
func (m *machine) writeProblem() {
	fmt.Fprintln(m.out, "Produce a trace of what would happen when you run these processes:")
	for i, p := range m.procs {
		fmt.Fprintf(m.out, "Process %d\n", i)
		for _, c := range p.code {
			fmt.Fprintf(m.out, "  %s\n", c)
		}
		fmt.Fprintln(m.out)
	}
	fmt.Fprint(m.out, "Important behaviors:\n  System will switch when ")
	if m.switchOnEnd {
		fmt.Fprintln(m.out, "the current process is FINISHED")
	} else {
		fmt.Fprintln(m.out, "the current process is FINISHED or ISSUES AN IO")
	}
	fmt.Fprint(m.out, "  After IOs, the process issuing the IO will ")
	if m.runImmediate {
		fmt.Fprintln(m.out, "run IMMEDIATELY")
	} else {
		fmt.Fprintln(m.out, "run LATER (when it is its turn)")
	}
	fmt.Fprintln(m.out)
}
