package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/lab/paginglab"
	"github.com/mkos/mkos/lab/schedlab"
)

// schedOutput are the output flags of every `mkos sched` command.
type schedOutput struct {
	solve bool   // -c: the answers, not the homework
	json  bool   // --json: the result as JSON instead of the tool's text
	gantt string // --gantt FILE.svg: also draw the schedule
	trace string // --trace FILE: the kernel's events as JSON lines
	// maxTime (--max-time) stops the jobs at this virtual time.
	maxTime time.Duration
}

func (o *schedOutput) register(fl *pflag.FlagSet) {
	fl.BoolVarP(&o.solve, "compute", "c", false, "compute the answers (without it: the homework, the problem only)")
	fl.BoolVar(&o.json, "json", false, "print the result as JSON: each job's times, averages, slices, the per-tick schedule")
	fl.StringVar(&o.gantt, "gantt", "", "also write the schedule as an SVG Gantt chart to this file")
	fl.StringVar(&o.trace, "trace", "", "write every kernel event of the run to this file as JSON lines (mkos trace reads it); the jobs run even without -c")
	fl.DurationVar(&o.maxTime, "max-time", 0, maxTimeLabHelp)
}

// maxTimeLabHelp is the labs' --max-time.
const maxTimeLabHelp = "stop the run at this virtual time (0: when every job ends; a time unit is 1ms); mkos exits with status 5 if work was left"

// labError is the error of a lab run: one stopped at --max-time (maxTime)
// is exit status 5.
func labError(err error, maxTime time.Duration) error {
	if errors.Is(err, schedlab.ErrTimeLimit) || errors.Is(err, paginglab.ErrTimeLimit) {
		return &stopped{exitTimeLimit, fmt.Sprintf("the time limit, %s of virtual time, was reached: %v", kernel.FormatNs(int64(maxTime)), err)}
	}
	return err
}

const schedLong = `Run a set of jobs as real tasks under the kernel's scheduler, and report the
schedule and each job's response, turnaround and wait times the way OSTEP's
homework simulators do: the same flags and the same output, byte for byte, so
that a course can use both side by side. Pick the simulator by subcommand:

  mkos sched [flags]           cpu-sched/scheduler.py: FIFO, SJF or RR (-p)
  mkos sched mlfq [flags]      cpu-sched-mlfq/mlfq.py
  mkos sched lottery [flags]   cpu-sched-lottery/lottery.py

and give the simulator's own arguments: "python3 mlfq.py -n 2 -l 0,20,5 -c" is
"mkos sched mlfq -n 2 -l 0,20,5 -c". Without -c you get the homework (the jobs
and the question); with -c, the answers. -s SEED draws the same random jobs,
and the same lottery tickets, as the tools do.

Each job is a task that burns virtual CPU with Compute and, under mlfq, does
its I/O as a call to the lab's device task. The kernel runs one CPU at HZ 1000
with the "ideal" cost profile, so a time unit is one tick (a millisecond) and
context switches are free, as in the textbook; job lengths with decimals make
a unit 10, 100 or 1000 ticks. The answers are read from the kernel's trace.`

const schedExample = `  mkos sched -p RR -l 100,200,300 -q 50 -c
  mkos sched -p SJF -s 7 -j 6 -m 50 -c --gantt sjf.svg
  mkos sched mlfq -n 3 -q 10 -l 0,175,0:50,25,1 -i 5 -B 50 -c
  mkos sched lottery -l 10:1,10:100 -c --json`

func newSchedCmd() *cobra.Command {
	o := schedlab.DefaultSchedulerOptions()
	var out schedOutput
	cmd := &cobra.Command{
		Use:     "sched",
		Short:   "Scheduling lab: jobs as real tasks under the kernel's scheduler, OSTEP-compatible",
		Long:    schedLong,
		Example: schedExample,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := schedlab.NewScheduler(o)
			if err != nil {
				return err
			}
			return runLab(cmd, l, &out)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.Policy, "policy", "p", o.Policy, "scheduling policy: FIFO, SJF or RR, or any other in sched.Policies (MLFQ and LOTTERY: see the subcommands)")
	fl.IntVarP(&o.Jobs, "jobs", "j", o.Jobs, "number of random jobs")
	fl.StringVarP(&o.JList, "jlist", "l", "", "comma-separated run times instead of random jobs, e.g. 10,15,20")
	fl.IntVarP(&o.MaxLen, "maxlen", "m", o.MaxLen, "longest random job")
	fl.Int64VarP(&o.Seed, "seed", "s", 0, "random seed, as the tool's")
	fl.IntVarP(&o.Quantum, "quantum", "q", o.Quantum, "RR time slice")
	out.register(fl)
	cmd.AddCommand(newSchedMLFQCmd(), newSchedLotteryCmd())
	return cmd
}

func newSchedMLFQCmd() *cobra.Command {
	o := schedlab.DefaultMLFQOptions()
	var out schedOutput
	cmd := &cobra.Command{
		Use:   "mlfq",
		Short: "Multi-level feedback queue, as cpu-sched-mlfq/mlfq.py",
		Long: `Run jobs under the kernel's mlfq policy with mlfq.py's options and output.
Queues are numbered as mlfq.py numbers them: the highest is the last.`,
		Example: `  mkos sched mlfq -s 1 -j 3 -c
  mkos sched mlfq -Q 10,20,40 -A 2,2,2 -l 0,140,0:0,140,0 -c --gantt mlfq.svg`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := schedlab.NewMLFQ(o)
			if err != nil {
				return err
			}
			return runLab(cmd, l, &out)
		},
	}
	fl := cmd.Flags()
	fl.Int64VarP(&o.Seed, "seed", "s", 0, "random seed, as the tool's")
	fl.IntVarP(&o.NumQueues, "numQueues", "n", o.NumQueues, "number of queues (if not using -Q)")
	fl.IntVarP(&o.Quantum, "quantum", "q", o.Quantum, "time slice (if not using -Q)")
	fl.IntVarP(&o.Allotment, "allotment", "a", o.Allotment, "allotment in time slices (if not using -A)")
	fl.StringVarP(&o.QuantumList, "quantumList", "Q", "", "time slice per queue, highest first, e.g. 10,20,40")
	fl.StringVarP(&o.AllotmentList, "allotmentList", "A", "", "allotment per queue, highest first")
	fl.IntVarP(&o.NumJobs, "numJobs", "j", o.NumJobs, "number of random jobs")
	fl.IntVarP(&o.MaxLen, "maxlen", "m", o.MaxLen, "longest random job")
	fl.IntVarP(&o.MaxIO, "maxio", "M", o.MaxIO, "largest random I/O frequency")
	fl.IntVarP(&o.Boost, "boost", "B", 0, "move every job to the highest queue this often (0: never)")
	fl.IntVarP(&o.IOTime, "iotime", "i", o.IOTime, "how long an I/O takes")
	fl.BoolVarP(&o.Stay, "stay", "S", false, "a job that does I/O keeps its queue and gets a fresh allotment")
	fl.BoolVarP(&o.IOBump, "iobump", "I", false, "a job whose I/O is done goes to the front of its queue")
	fl.StringVarP(&o.JList, "jlist", "l", "", "jobs as start,run,ioFreq:start,run,ioFreq:... instead of random ones")
	out.register(fl)
	return cmd
}

func newSchedLotteryCmd() *cobra.Command {
	o := schedlab.DefaultLotteryOptions()
	var out schedOutput
	cmd := &cobra.Command{
		Use:   "lottery",
		Short: "Lottery scheduling, as cpu-sched-lottery/lottery.py",
		Long: `Run jobs under the kernel's lottery policy with lottery.py's options and output.
The policy draws its winning tickets as lottery.py does, from the seed.`,
		Example: `  mkos sched lottery -s 1 -c
  mkos sched lottery -l 10:1,10:100 -q 2 -c`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := schedlab.NewLottery(o)
			if err != nil {
				return err
			}
			return runLab(cmd, l, &out)
		},
	}
	fl := cmd.Flags()
	fl.Int64VarP(&o.Seed, "seed", "s", 0, "random seed, as the tool's: jobs and winning tickets")
	fl.IntVarP(&o.Jobs, "jobs", "j", o.Jobs, "number of random jobs")
	fl.StringVarP(&o.JList, "jlist", "l", "", "jobs as run:tickets,run:tickets,... instead of random ones")
	fl.IntVarP(&o.MaxLen, "maxlen", "m", o.MaxLen, "longest random job")
	fl.IntVarP(&o.MaxTicket, "maxticket", "T", o.MaxTicket, "most tickets of a random job")
	fl.IntVarP(&o.Quantum, "quantum", "q", o.Quantum, "time slice")
	out.register(fl)
	return cmd
}

// runLab writes the lab's text or JSON to stdout, and the Gantt chart.
func runLab(cmd *cobra.Command, l *schedlab.Lab, out *schedOutput) error {
	l.Workload().MaxTimeNs = int64(out.maxTime)
	if err := traceLab(l, out.trace); err != nil {
		return labError(err, out.maxTime)
	}
	w := cmd.OutOrStdout()
	var err error
	if out.json {
		err = l.WriteJSON(w)
	} else {
		err = l.WriteText(w, out.solve)
	}
	if err != nil || out.gantt == "" {
		return labError(err, out.maxTime)
	}
	f, err := os.Create(out.gantt)
	if err != nil {
		return err
	}
	if err := l.WriteGantt(f); err != nil {
		f.Close()
		return fmt.Errorf("gantt %s: %w", out.gantt, err)
	}
	return f.Close()
}

// traceLab runs the lab's jobs with their kernel's events going to the
// file at path (nothing without one).
func traceLab(l *schedlab.Lab, path string) error {
	if path == "" {
		return nil
	}
	if err := l.StandIn(); err != nil {
		return err
	}
	trace, err := openTrace(path)
	if err != nil {
		return err
	}
	defer trace.close()
	l.Workload().Trace = trace.tracer()
	if _, err := l.Run(); err != nil {
		return err
	}
	return trace.close()
}
