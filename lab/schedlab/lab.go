package schedlab

import (
	"bytes"
	"fmt"
	"io"
)

// Lab is one use of the lab: a tool's options, the workload they describe
// and, once run, what the kernel did with it. Make one with NewScheduler,
// NewMLFQ or NewLottery.
type Lab struct {
	tool   tool
	work   *Workload
	result *Result
	// stretch, when above 1, is how many of the lab's ticks one tick of
	// the kernel's run stands for, and scale the real ticks per unit
	// (shrinkRR).
	stretch int64
	scale   int
}

// tool is one of OSTEP's simulators as the lab reproduces it.
type tool interface {
	// name is the simulator's file name, e.g. "mlfq.py".
	name() string
	// policy is the policy's name as the tool's user gives it.
	policy() string
	// writeHeader writes what the tool prints first: its options and the
	// job list.
	writeHeader(w io.Writer)
	// writeProblem writes the homework: what the tool prints without -c.
	writeProblem(w io.Writer)
	// writeAnswers writes what the tool prints with -c, from the kernel's
	// run. It fails if the run broke one of the tool's rules.
	writeAnswers(w io.Writer, res *Result) error
}

// Workload returns the jobs and the policy the options describe.
func (l *Lab) Workload() *Workload { return l.work }

// Run runs the workload on the kernel, once; later calls return the same
// result.
func (l *Lab) Run() (*Result, error) {
	if l.result != nil {
		return l.result, nil
	}
	res, err := Run(l.work)
	if err != nil {
		return nil, err
	}
	if l.stretch > 1 {
		res = res.stretched(l.stretch, l.scale)
	}
	l.result = res
	return res, nil
}

// WriteText writes what the tool prints: with solve (the tools' -c), the
// answers from the kernel's run; without, the homework sheet, and the
// kernel does not run.
func (l *Lab) WriteText(w io.Writer, solve bool) error {
	var b bytes.Buffer
	l.tool.writeHeader(&b)
	if !solve {
		l.tool.writeProblem(&b)
		_, err := w.Write(b.Bytes())
		return err
	}
	res, err := l.Run()
	if err != nil {
		return err
	}
	if err := l.tool.writeAnswers(&b, res); err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}

// StandIn reports, as an error, that the kernel runs a stand-in for the
// jobs rather than the jobs themselves: FIFO and SJF jobs too long to
// simulate tick by tick run with their ranks for lengths, which gives the
// order the answers need but not the jobs' times. A trace, the JSON and
// the Gantt chart would show the stand-in, so they are refused.
func (l *Lab) StandIn() error {
	if l.stretch > 1 {
		return fmt.Errorf("the jobs need %.6g ticks; mkos simulates at most %d, so it ran RR with a tick standing for %d: -c's answers are exact, but a trace, the JSON or a Gantt chart would show the shrunk run (use shorter jobs)",
			totalTicks(l.tool.(*schedulerTool).jobs), maxRunTicks, l.stretch)
	}
	if t, ok := l.tool.(*schedulerTool); ok && t.ranked {
		return fmt.Errorf("the jobs need %.6g ticks; mkos simulates at most %d, so for %s's order it ran them with their ranks for lengths: -c's answers are exact, but a trace, the JSON or a Gantt chart would show the ranks (use shorter jobs)",
			totalTicks(t.jobs), maxRunTicks, t.o.Policy)
	}
	return nil
}

// totalTicks is the ticks the jobs need run back to back.
func totalTicks(jobs []Job) float64 {
	var lengths []float64
	for _, j := range jobs {
		lengths = append(lengths, j.Length)
	}
	scale, err := ticksPerUnitFor(lengths)
	if err != nil {
		scale = maxTicksPerUnit
	}
	var sum float64
	for _, l := range lengths {
		sum += l
	}
	return sum * float64(scale)
}

// stretched is r with every time multiplied by g and scale ticks per
// unit: the real run of a shrunk one (shrinkRR). The per-tick records are
// dropped: they would be as long as the run.
func (r *Result) stretched(g int64, scale int) *Result {
	out := &Result{TicksPerUnit: scale, EndTick: r.EndTick * g}
	for _, s := range r.Slices {
		out.Slices = append(out.Slices, Slice{Job: s.Job, Start: s.Start * g, End: s.End * g})
	}
	for _, j := range r.Jobs {
		out.Jobs = append(out.Jobs, JobTimes{Arrive: j.Arrive * g, FirstRun: j.FirstRun * g, Finish: j.Finish * g, CPU: j.CPU * g, IO: j.IO * g})
	}
	for _, e := range r.Events {
		out.Events = append(out.Events, Event{Tick: e.Tick * g, Job: e.Job, Kind: e.Kind})
	}
	return out
}
