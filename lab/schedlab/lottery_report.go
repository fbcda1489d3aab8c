package schedlab

import (
	"fmt"
	"io"
	"strconv"
)

// lottery.py's answers, written from the kernel's run: each quantum of the
// schedule with the draw the lottery policy made for it. When one job is
// left the kernel does not draw (there is no one to choose from) while
// lottery.py still does, so the draws of those last quanta are made here,
// from the same random stream, after the run.

func (t *lotteryTool) writeAnswers(w io.Writer, res *Result) error {
	fmt.Fprint(w, "** Solutions **\n\n")
	quanta := t.quanta(res)
	if n := len(t.draws.draws); n > len(quanta) {
		return fmt.Errorf("schedlab: lottery drew %d times for %d quanta", n, len(quanta))
	}
	tickets := make([]int64, len(t.jobs))
	var total int64
	for i, j := range t.jobs {
		tickets[i] = int64(j.Tickets)
		total += tickets[i]
	}
	ran := make([]int, len(t.jobs))
	left, q := len(t.jobs), t.o.Quantum
	tail := *t.draws.rng // the stream where the kernel's draws stopped
	for i := 0; i < len(quanta) && i < t.runTotal(); i++ {
		p := quanta[i]
		var d lotteryDraw
		if i < len(t.draws.draws) {
			d = t.draws.draws[i]
		} else {
			d = drawFrom(&tail, total)
		}
		if win := winner(tickets, d.Ticket); d.Total != total || win != p.Job || p.Start != int64(i*q) {
			return fmt.Errorf("schedlab: lottery: quantum %d at %d ran job %d; ticket %d of %d wins job %d, of %d",
				i, p.Start, p.Job, d.Ticket, d.Total, win, total)
		}
		fmt.Fprintf(w, "Random %d -> Winning ticket %d (of %d) -> Run %d\n  Jobs:\n", d.Random, d.Ticket, d.Total, p.Job)
		for j, job := range t.jobs {
			mark, tix := " ", "---"
			timeleft := max(int(job.Length)-ran[j], 0)
			if j == p.Job {
				mark = "*"
			}
			if timeleft > 0 {
				tix = strconv.FormatInt(tickets[j], 10)
			}
			fmt.Fprintf(w, " (%s job:%d timeleft:%d tix:%s ) ", mark, j, timeleft, tix)
		}
		fmt.Fprintln(w)
		ran[p.Job] += q
		if ran[p.Job] >= int(t.jobs[p.Job].Length) {
			if res.Jobs[p.Job].Finish != p.End {
				return fmt.Errorf("schedlab: lottery: job %d is done at %d, but exited at %d", p.Job, p.End, res.Jobs[p.Job].Finish)
			}
			fmt.Fprintf(w, "--> JOB %d DONE at time %d\n", p.Job, p.End)
			total -= tickets[p.Job]
			tickets[p.Job] = 0
			left--
		}
		if left == 0 {
			fmt.Fprintln(w)
			break
		}
	}
	return nil
}

// quanta splits the schedule into whole quanta (each job's demand is whole
// quanta, see Workload.WholeQuantaUnits).
func (t *lotteryTool) quanta(res *Result) []Slice {
	q := int64(t.o.Quantum)
	var out []Slice
	for _, s := range res.Slices {
		for at := s.Start; at < s.End; at += q {
			out = append(out, Slice{s.Job, at, at + q})
		}
	}
	return out
}

// winner returns the job that holds ticket, counting tickets in job order.
func winner(tickets []int64, ticket int64) int {
	var sum int64
	for j, n := range tickets {
		if sum += n; sum > ticket {
			return j
		}
	}
	return -1
}
