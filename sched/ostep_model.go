package sched

// This file is a pure model of the answers that three of OSTEP's homework
// simulators print with -c: cpu-sched/scheduler.py (FIFO, SJF, RR),
// cpu-sched-mlfq/mlfq.py and cpu-sched-lottery/lottery.py, from
// github.com/remzi-arpacidusseau/ostep-homework. Each function rebuilds the
// tool's whole stdout, byte for byte, from its options and a source of
// random.random() values (internal/pyrand in the tests).
//
// It is for cross-checking only: no policy uses it. ostep_test.go checks it
// against every case saved in testdata/ostep, so that the real policies can
// be checked against the same cases through the kernel. It follows the
// tools' own logic, quirks included, and is written from their behaviour;
// their code is not vendored.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ostepSchedulerOpts are scheduler.py's options.
type ostepSchedulerOpts struct {
	policy       string // -p: FIFO, SJF or RR
	jobs, maxlen int    // -j, -m
	seed         int    // -s
	jlist        string // -l: comma-separated run times
	quantum      int    // -q
}

// ostepJob is one scheduler.py job.
type ostepJob struct {
	id  int
	len float64
}

// ostepScheduler returns scheduler.py's output for o with -c. It is a pure
// model for cross-checking, not a policy.
func ostepScheduler(o ostepSchedulerOpts, random func() float64) string {
	var b strings.Builder
	fmt.Fprintln(&b, "ARG policy", o.policy)
	if o.jlist == "" {
		fmt.Fprintf(&b, "ARG jobs %d\nARG maxlen %d\nARG seed %d\n", o.jobs, o.maxlen, o.seed)
	} else {
		fmt.Fprintln(&b, "ARG jlist", o.jlist)
	}
	b.WriteString("\nHere is the job list, with the run time of each job: \n")
	var jobs []ostepJob
	if o.jlist == "" {
		for i := range o.jobs {
			n := int(float64(o.maxlen)*random()) + 1
			jobs = append(jobs, ostepJob{i, float64(n)})
			fmt.Fprintf(&b, "  Job %d ( length = %d )\n", i, n)
		}
	} else {
		for i, s := range strings.Split(o.jlist, ",") {
			f, _ := strconv.ParseFloat(s, 64)
			jobs = append(jobs, ostepJob{i, f})
			fmt.Fprintf(&b, "  Job %d ( length = %s )\n", i, pyFloat(f))
		}
	}
	b.WriteString("\n\n** Solutions **\n\n")
	switch o.policy {
	case "SJF":
		slices.SortStableFunc(jobs, func(a, b ostepJob) int { return cmp.Compare(a.len, b.len) })
		fallthrough
	case "FIFO":
		ostepFIFO(&b, jobs)
	case "RR":
		ostepRR(&b, jobs, float64(o.quantum))
	default:
		fmt.Fprintln(&b, "Error: Policy", o.policy, "is not available.")
	}
	return b.String()
}

// ostepFIFO runs jobs in the order given.
func ostepFIFO(b *strings.Builder, jobs []ostepJob) {
	b.WriteString("Execution trace:\n")
	var now float64
	for _, j := range jobs {
		fmt.Fprintf(b, "  [ time %3d ] Run job %d for %.2f secs ( DONE at %.2f )\n", int(now), j.id, j.len, now+j.len)
		now += j.len
	}
	b.WriteString("\nFinal statistics:\n")
	var t, response, turnaround, wait float64
	for _, j := range jobs {
		fmt.Fprintf(b, "  Job %3d -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n", j.id, t, t+j.len, t)
		response += t
		turnaround += t + j.len
		wait += t
		t += j.len
	}
	n := float64(len(jobs))
	fmt.Fprintf(b, "\n  Average -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n\n", response/n, turnaround/n, wait/n)
}

// ostepRR runs jobs round robin, quantum seconds each.
func ostepRR(b *strings.Builder, jobs []ostepJob, quantum float64) {
	b.WriteString("Execution trace:\n")
	n := len(jobs)
	turnaround, response := make([]float64, n), make([]float64, n)
	lastran, wait := make([]float64, n), make([]float64, n)
	for i := range response {
		response[i] = -1
	}
	run := slices.Clone(jobs)
	var now float64
	for left := n; left > 0; {
		j := run[0]
		run = run[1:]
		if response[j.id] == -1 {
			response[j.id] = now
		}
		wait[j.id] += now - lastran[j.id]
		ran := j.len
		if j.len > quantum {
			ran = quantum
			fmt.Fprintf(b, "  [ time %3d ] Run job %3d for %.2f secs\n", int(now), j.id, ran)
			run = append(run, ostepJob{j.id, j.len - quantum})
		} else {
			fmt.Fprintf(b, "  [ time %3d ] Run job %3d for %.2f secs ( DONE at %.2f )\n", int(now), j.id, ran, now+ran)
			turnaround[j.id] = now + ran
			left--
		}
		now += ran
		lastran[j.id] = now
	}
	b.WriteString("\nFinal statistics:\n")
	var rs, ts, ws float64
	for i := range n {
		ts += turnaround[i]
		rs += response[i]
		ws += wait[i]
		fmt.Fprintf(b, "  Job %3d -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n", i, response[i], turnaround[i], wait[i])
	}
	fn := float64(n)
	fmt.Fprintf(b, "\n  Average -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n\n", rs/fn, ts/fn, ws/fn)
}

// pyFloat formats f as Python's str(float) does for the values the tools
// print: "200.0", "2.5".
func pyFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e16 {
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// pyBool formats v as Python's str(bool).
func pyBool(v bool) string {
	if v {
		return "True"
	}
	return "False"
}

// ostepLotteryOpts are lottery.py's options.
type ostepLotteryOpts struct {
	jlist                 string // -l: run:tickets,...
	jobs, maxlen, maxtick int    // -j, -m, -T
	quantum, seed         int    // -q, -s
}

// ostepLottery returns lottery.py's output for o with -c. It is a pure model
// for cross-checking, not a policy.
func ostepLottery(o ostepLotteryOpts, random func() float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ARG jlist %s\nARG jobs %d\nARG maxlen %d\nARG maxticket %d\nARG quantum %d\nARG seed %d\n\n",
		o.jlist, o.jobs, o.maxlen, o.maxtick, o.quantum, o.seed)
	b.WriteString("Here is the job list, with the run time of each job: \n")
	type lotJob struct{ run, tix int }
	var jobs []lotJob
	if o.jlist == "" {
		for range o.jobs {
			var j lotJob
			for j.run == 0 {
				j.run = int(float64(o.maxlen) * random())
			}
			for j.tix == 0 {
				j.tix = int(float64(o.maxtick) * random())
			}
			jobs = append(jobs, j)
		}
	} else {
		for _, s := range strings.Split(o.jlist, ",") {
			run, tix, _ := strings.Cut(s, ":")
			r, _ := strconv.Atoi(run)
			t, _ := strconv.Atoi(tix)
			jobs = append(jobs, lotJob{r, t})
		}
	}
	runTotal, tickTotal := 0, 0
	for i, j := range jobs {
		runTotal += j.run
		tickTotal += j.tix
		fmt.Fprintf(&b, "  Job %d ( length = %d, tickets = %d )\n", i, j.run, j.tix)
	}
	b.WriteString("\n\n** Solutions **\n\n")
	left, clock := len(jobs), 0
	for range runTotal {
		r := int(random() * 1000001)
		winner := r % tickTotal
		w, sum := 0, 0
		for i, j := range jobs {
			if sum += j.tix; sum > winner {
				w = i
				break
			}
		}
		fmt.Fprintf(&b, "Random %d -> Winning ticket %d (of %d) -> Run %d\n  Jobs:\n", r, winner, tickTotal, w)
		for i, j := range jobs {
			mark, tix := " ", "---"
			if i == w {
				mark = "*"
			}
			if j.run > 0 {
				tix = strconv.Itoa(j.tix)
			}
			fmt.Fprintf(&b, " (%s job:%d timeleft:%d tix:%s ) ", mark, i, j.run, tix)
		}
		b.WriteString("\n")
		jobs[w].run = max(jobs[w].run-o.quantum, 0)
		clock += o.quantum
		if jobs[w].run == 0 {
			fmt.Fprintf(&b, "--> JOB %d DONE at time %d\n", w, clock)
			tickTotal -= jobs[w].tix
			jobs[w].tix = 0
			left--
		}
		if left == 0 {
			b.WriteString("\n")
			break
		}
	}
	return b.String()
}
