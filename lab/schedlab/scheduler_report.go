package schedlab

import (
	"fmt"
	"io"
	"math"
)

// scheduler.py's answers, written from the kernel's schedule: who ran when
// comes from the slices, and the times are added up in floating point in
// the same order as the tool adds them, so that the last digit printed
// agrees even for fractional lengths.

func (t *schedulerTool) writeAnswers(w io.Writer, res *Result) error {
	fmt.Fprint(w, "** Solutions **\n\n")
	switch t.o.Policy {
	case "RR":
		return t.writeRR(w, res)
	case "FIFO", "SJF":
		return t.writeFIFO(w, res)
	}
	return t.writeOther(w, res)
}

// writeOther writes the answers for a policy scheduler.py does not have
// (one of sched.Policies, a student's own say) in scheduler.py's format,
// from what the kernel did: one trace line per slice the policy gave a
// job, and each job's response (its first run), turnaround (its exit) and
// wait (turnaround less its length).
func (t *schedulerTool) writeOther(w io.Writer, res *Result) error {
	fmt.Fprintln(w, "Execution trace:")
	unit := float64(res.TicksPerUnit)
	for _, s := range res.Slices {
		start, ran := float64(s.Start)/unit, float64(s.End-s.Start)/unit
		done := ""
		if s.End == res.Jobs[s.Job].Finish {
			done = fmt.Sprintf(" ( DONE at %.2f )", start+ran)
		}
		fmt.Fprintf(w, "  [ time %3d ] Run job %3d for %.2f secs%s\n", int(start), s.Job, ran, done)
	}
	fmt.Fprintln(w, "\nFinal statistics:")
	var rs, ts, ws float64
	for i, j := range t.jobs {
		jt := res.Jobs[i]
		response, turnaround := float64(jt.FirstRun-jt.Arrive)/unit, float64(jt.Finish-jt.Arrive)/unit
		wait := turnaround - j.Length
		fmt.Fprintf(w, "  Job %3d -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n", i, response, turnaround, wait)
		rs, ts, ws = rs+response, ts+turnaround, ws+wait
	}
	writeAverages(w, rs, ts, ws, len(t.jobs))
	return nil
}

// writeFIFO writes the run-to-completion answers (FIFO and SJF): one slice
// per job, in the order the kernel ran them.
func (t *schedulerTool) writeFIFO(w io.Writer, res *Result) error {
	if len(res.Slices) != len(t.jobs) {
		return fmt.Errorf("schedlab: %s ran %d slices for %d jobs", t.o.Policy, len(res.Slices), len(t.jobs))
	}
	order := make([]int, len(res.Slices))
	fmt.Fprintln(w, "Execution trace:")
	var now float64
	for i, s := range res.Slices {
		order[i] = s.Job
		l := t.jobs[s.Job].Length
		if s.End-s.Start != int64(math.Round(t.ran[s.Job]*float64(res.TicksPerUnit))) {
			return fmt.Errorf("schedlab: %s: job %d ran %d ticks from %d, not to its end", t.o.Policy, s.Job, s.End-s.Start, s.Start)
		}
		fmt.Fprintf(w, "  [ time %3s ] Run job %d for %.2f secs ( DONE at %.2f )\n", pyInt(now), s.Job, l, now+l)
		now += l
	}
	fmt.Fprintln(w, "\nFinal statistics:")
	var at, response, turnaround, wait float64
	for _, j := range order {
		l := t.jobs[j].Length
		fmt.Fprintf(w, "  Job %3d -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n", j, at, at+l, at)
		response += at
		turnaround += at + l
		wait += at
		at += l
	}
	writeAverages(w, response, turnaround, wait, len(order))
	return nil
}

// rrPiece is one quantum or less of a job under RR.
type rrPiece struct {
	job        int
	start, end int64 // ticks
}

// pieces splits the slices into the quanta scheduler.py prints: a job that
// keeps the CPU because no one else waits runs quantum after quantum.
func (t *schedulerTool) pieces(res *Result) []rrPiece {
	q := int64(t.o.Quantum * res.TicksPerUnit)
	var out []rrPiece
	for _, s := range res.Slices {
		for at := s.Start; ; at += q {
			end := min(at+q, s.End)
			out = append(out, rrPiece{s.Job, at, end})
			if end == s.End {
				break
			}
		}
	}
	return out
}

// writeRR writes the round-robin answers.
func (t *schedulerTool) writeRR(w io.Writer, res *Result) error {
	fmt.Fprintln(w, "Execution trace:")
	n := len(t.jobs)
	left := make([]float64, n) // scheduler.py's run time left, as it computes it
	turnaround, response, lastran, wait := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, j := range t.jobs {
		left[i], response[i] = j.Length, -1
	}
	quantum := float64(t.o.Quantum)
	var now float64
	for _, p := range t.pieces(res) {
		j := p.job
		if response[j] == -1 {
			response[j] = now
		}
		wait[j] += now - lastran[j]
		ran, done := left[j], left[j] <= quantum
		if !done {
			ran = quantum
			left[j] -= quantum
		}
		if got, want := p.end-p.start, int64(math.Round(ran*float64(res.TicksPerUnit))); got != want || done != (p.end == res.Jobs[j].Finish) {
			return fmt.Errorf("schedlab: RR: job %d ran %d ticks from %d (done %v); scheduler.py runs it %d ticks", j, got, p.start, done, want)
		}
		if done {
			fmt.Fprintf(w, "  [ time %3s ] Run job %3d for %.2f secs ( DONE at %.2f )\n", pyInt(now), j, ran, now+ran)
			turnaround[j] = now + ran
		} else {
			fmt.Fprintf(w, "  [ time %3s ] Run job %3d for %.2f secs\n", pyInt(now), j, ran)
		}
		now += ran
		lastran[j] = now
	}
	fmt.Fprintln(w, "\nFinal statistics:")
	var rs, ts, ws float64
	for i := range n {
		ts += turnaround[i]
		rs += response[i]
		ws += wait[i]
		fmt.Fprintf(w, "  Job %3d -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n", i, response[i], turnaround[i], wait[i])
	}
	writeAverages(w, rs, ts, ws, n)
	return nil
}

// writeAverages writes scheduler.py's last line.
func writeAverages(w io.Writer, response, turnaround, wait float64, n int) {
	fn := float64(n)
	fmt.Fprintf(w, "\n  Average -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n\n", response/fn, turnaround/fn, wait/fn)
}
