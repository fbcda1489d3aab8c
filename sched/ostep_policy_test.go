package sched

import (
	"fmt"
	"github.com/mkos/mkos/internal/textdiff"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestOSTEPPolicies runs the real fifo, sjf, rr and mlfq policies in the
// tests' one-CPU kernel (sim_test.go), one tick per time unit, on the
// workloads of the saved OSTEP cases, and compares who ran in each tick
// with the tool's trace.
func TestOSTEPPolicies(t *testing.T) {
	for _, c := range loadOSTEPCases(t) {
		if c.tool == "lottery.py" {
			continue // the lottery policy has its own random numbers
		}
		t.Run(c.name, func(t *testing.T) {
			var want, got string
			switch c.tool {
			case "scheduler.py":
				want, got = ostepSchedulerTicks(t, c)
				if want == fractional {
					// Jobs of fractional length do not fit whole ticks;
					// TestOSTEPModel checks these cases against the tool.
					return
				}
			case "mlfq.py":
				want, got = ostepMLFQTicks(c)
			}
			if want == "" {
				t.Fatalf("no trace found in the %s output", c.tool)
			}
			t.Logf("%d ticks", strings.Count(want, " ")+1)
			if got != want {
				t.Errorf("policy differs from %s at %s", c.tool, textdiff.FirstLine(
					strings.ReplaceAll(got, " ", "\n"), strings.ReplaceAll(want, " ", "\n")))
			}
		})
	}
}

var schedRunLine = regexp.MustCompile(`(?m)^  \[ time +\d+ \] Run job +(\d+) for ([\d.]+) secs`)

// fractional marks a case whose job lengths are not whole ticks.
const fractional = "fractional"

// ostepSchedulerTicks returns who ran in each tick under scheduler.py and
// under the matching policy.
// It returns fractional when a job's length is not a whole number of ticks.
func ostepSchedulerTicks(t *testing.T, c ostepCase) (want, got string) {
	var ticks []string
	for _, m := range schedRunLine.FindAllStringSubmatch(c.out, -1) {
		d, _ := strconv.ParseFloat(m[2], 64)
		if d != float64(int(d)) {
			return fractional, ""
		}
		for range int(d) {
			ticks = append(ticks, m[1])
		}
	}
	var jobs []job
	for i, l := range strings.Split(ostepSchedulerJobs(c), " ") {
		n, _ := strconv.Atoi(l)
		jobs = append(jobs, job{id: i, run: n})
	}
	name := map[string]string{"FIFO": "fifo", "SJF": "sjf", "RR": "rr"}[c.str("-p", "FIFO")]
	p := mustNew(t, name, Params{QuantumTicks: c.num("-q", 1)})
	return strings.Join(ticks, " "), simulate(p, len(ticks), showID, jobs...)
}

// ostepSchedulerJobs returns the lengths of c's jobs, space-separated.
func ostepSchedulerJobs(c ostepCase) string {
	if l := c.str("-l", ""); l != "" {
		return strings.ReplaceAll(l, ",", " ")
	}
	return strings.Join(ostepRandomJobs(c), " ")
}

var mlfqTickLine = regexp.MustCompile(`(?m)^\[ time \d+ \] (?:Run JOB (\d+) at PRIORITY (\d+)|IDLE)`)

// ostepMLFQTicks returns who ran in each tick, as ID/level, under mlfq.py
// and under the mlfq policy.
func ostepMLFQTicks(c ostepCase) (want, got string) {
	o := c.mlfqOpts()
	quantum := ostepLevels(o.numQueues, o.quantumList, o.quantum)
	allot := ostepLevels(len(quantum), o.allotmentList, o.allotment)
	hi := len(quantum) - 1
	var ticks []string
	for _, m := range mlfqTickLine.FindAllStringSubmatch(c.out, -1) {
		if m[1] == "" {
			ticks = append(ticks, ".")
			continue
		}
		prio, _ := strconv.Atoi(m[2])
		ticks = append(ticks, fmt.Sprintf("%s/%d", m[1], hi-prio))
	}
	p := Params{Queues: len(quantum), BoostTicks: o.boost, KeepLevelOnBlock: o.stay, WokenToFront: o.iobump}
	for i := hi; i >= 0; i-- { // highest first
		p.LevelQuantumTicks = append(p.LevelQuantumTicks, quantum[i])
		p.LevelAllotQuanta = append(p.LevelAllotQuanta, allot[i])
	}
	var jobs []job
	for i, j := range ostepMLFQJobs(c) {
		jobs = append(jobs, job{id: i, arrive: j[0], run: j[1], ioEvery: j[2], ioTicks: o.ioTime})
	}
	return strings.Join(ticks, " "), simulate(newMLFQ(p), len(ticks), showLevel, jobs...)
}

// ostepMLFQJobs returns c's jobs as start, run time, I/O frequency.
func ostepMLFQJobs(c ostepCase) [][3]int {
	var jobs [][3]int
	if l := c.str("-l", ""); l != "" {
		for _, s := range strings.Split(l, ":") {
			var j [3]int
			fmt.Sscanf(s, "%d,%d,%d", &j[0], &j[1], &j[2])
			jobs = append(jobs, j)
		}
		return jobs
	}
	for _, s := range ostepRandomJobs(c) {
		var j [3]int
		fmt.Sscanf(s, "%d/%d", &j[1], &j[2])
		jobs = append(jobs, j)
	}
	return jobs
}
