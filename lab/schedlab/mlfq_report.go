package schedlab

import (
	"fmt"
	"io"
)

// mlfq.py's answers, written from the kernel's run: who ran each tick comes
// from the schedule; the queue, slice and allotment from the mlfq policy's
// own state as the tick was charged; starts, I/Os and exits from the
// kernel's trace, in the order the kernel saw them.

func (t *mlfqTool) writeAnswers(w io.Writer, res *Result) error {
	fmt.Fprint(w, "\nExecution Trace:\n\n")
	hi := len(t.quant) - 1
	byTick := map[int64][]Event{}
	for _, e := range res.Events {
		byTick[e.Tick] = append(byTick[e.Tick], e)
	}
	ran := make([]int, len(t.jobs))
	for now := int64(0); now < res.EndTick; now++ {
		if b := int64(t.o.Boost); b > 0 && now != 0 && now%b == 0 {
			fmt.Fprintf(w, "[ time %d ] BOOST ( every %d )\n", now, b)
		}
		for _, e := range byTick[now] {
			switch e.Kind {
			case Begin:
				fmt.Fprintf(w, "[ time %d ] JOB BEGINS by JOB %d\n", now, e.Job)
			case IODone:
				fmt.Fprintf(w, "[ time %d ] IO_DONE by JOB %d\n", now, e.Job)
			}
		}
		j := res.PerTick[now]
		if j < 0 {
			fmt.Fprintf(w, "[ time %d ] IDLE\n", now)
			continue
		}
		if int(now) >= len(res.States) {
			return fmt.Errorf("schedlab: mlfq: no policy state for tick %d", now)
		}
		s := res.States[now]
		ran[j]++
		length := int(t.jobs[j].Length)
		fmt.Fprintf(w, "[ time %d ] Run JOB %d at PRIORITY %d [ TICKS %d ALLOT %d TIME %d (of %d) ]\n",
			now, j, hi-s.Level, s.QuantumLeft-1, s.AllotLeft, length-ran[j], length)
		for _, e := range byTick[now+1] {
			switch {
			case e.Job != j:
			case e.Kind == Finish:
				fmt.Fprintf(w, "[ time %d ] FINISHED JOB %d\n", now+1, j)
			case e.Kind == IOStart:
				fmt.Fprintf(w, "[ time %d ] IO_START by JOB %d\nIO DONE\n", now+1, j)
			}
		}
	}
	t.writeStats(w, res)
	return nil
}

// writeStats writes mlfq.py's final statistics.
func (t *mlfqTool) writeStats(w io.Writer, res *Result) {
	fmt.Fprint(w, "\nFinal statistics:\n")
	var rs, ts int64
	for i, j := range t.jobs {
		r, tt := res.Jobs[i].Response(), res.Jobs[i].Turnaround()
		fmt.Fprintf(w, "  Job %2d: startTime %3d - response %3d - turnaround %3d\n", i, j.Start, r, tt)
		rs += r
		ts += tt
	}
	n := float64(len(t.jobs))
	fmt.Fprintf(w, "\n  Avg %2d: startTime n/a - response %.2f - turnaround %.2f\n\n\n",
		len(t.jobs)-1, float64(rs)/n, float64(ts)/n)
}
