package schedlab

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/sched"
)

// LotteryOptions are the options of OSTEP's cpu-sched-lottery/lottery.py.
// DefaultLotteryOptions holds the tool's defaults.
type LotteryOptions struct {
	// Seed is -s: it draws the random jobs and the winning tickets.
	Seed int64
	// Jobs, MaxLen and MaxTicket are -j, -m and -T: random jobs.
	Jobs, MaxLen, MaxTicket int
	// JList is -l: run:tickets,run:tickets,... instead of random jobs.
	JList string
	// Quantum is -q: the time slice each winning ticket buys.
	Quantum int
}

// DefaultLotteryOptions returns lottery.py's defaults.
func DefaultLotteryOptions() LotteryOptions {
	return LotteryOptions{Jobs: 3, MaxLen: 10, MaxTicket: 100, Quantum: 1}
}

// lotteryTool is lottery.py.
type lotteryTool struct {
	o    LotteryOptions
	jobs []Job
	// rng is the random stream after the jobs were drawn: the winning
	// tickets (or the homework's random numbers) come next.
	rng pyrand.Rand
	// draws are the lottery policy's draws in the kernel's run.
	draws *lotteryDraws
}

// NewLottery returns the lab of lottery.py's options, run by sched's
// lottery policy drawing its winning tickets as lottery.py does.
func NewLottery(o LotteryOptions) (*Lab, error) {
	if o.Quantum < 1 {
		return nil, fmt.Errorf("quantum %d: must be at least 1", o.Quantum)
	}
	t := &lotteryTool{o: o}
	if err := t.makeJobs(); err != nil {
		return nil, err
	}
	rng := t.rng // the run draws from its own copy of the stream
	t.draws = &lotteryDraws{rng: &rng}
	w := &Workload{Jobs: t.jobs, Policy: "lottery", TicksPerUnit: 1, WholeQuantaUnits: o.Quantum,
		Params: sched.Params{QuantumTicks: o.Quantum, Draw: t.draws}}
	return &Lab{tool: t, work: w}, nil
}

// makeJobs draws the random jobs as lottery.py does, or parses -l.
func (t *lotteryTool) makeJobs() error {
	r := pyrand.New(t.o.Seed)
	if t.o.JList == "" {
		if t.o.MaxLen < 2 || t.o.MaxTicket < 2 {
			return fmt.Errorf("maxlen %d, maxticket %d: lottery.py draws until it gets a positive int(max * random()), so both must be at least 2",
				t.o.MaxLen, t.o.MaxTicket)
		}
		for range t.o.Jobs {
			var run, tix int
			for run == 0 {
				run = int(float64(t.o.MaxLen) * r.Random())
			}
			for tix == 0 {
				tix = int(float64(t.o.MaxTicket) * r.Random())
			}
			t.jobs = append(t.jobs, Job{Length: float64(run), Tickets: tix})
		}
	} else {
		for _, s := range strings.Split(t.o.JList, ",") {
			run, tix, ok := strings.Cut(s, ":")
			rn, err1 := strconv.Atoi(strings.TrimSpace(run))
			tn, err2 := strconv.Atoi(strings.TrimSpace(tix))
			if !ok || err1 != nil || err2 != nil || rn < 0 || tn < 1 {
				return fmt.Errorf("job list %q: %q is not run:tickets with run >= 0 and tickets >= 1", t.o.JList, s)
			}
			t.jobs = append(t.jobs, Job{Length: float64(rn), Tickets: tn})
		}
	}
	if len(t.jobs) == 0 {
		return errors.New("no jobs")
	}
	t.rng = *r
	return nil
}

func (t *lotteryTool) name() string   { return "lottery.py" }
func (t *lotteryTool) policy() string { return "LOTTERY" }

// runTotal is the sum of the run times: lottery.py draws at most that
// many tickets.
func (t *lotteryTool) runTotal() int {
	n := 0
	for _, j := range t.jobs {
		n += int(j.Length)
	}
	return n
}

func (t *lotteryTool) writeHeader(w io.Writer) {
	fmt.Fprintf(w, "ARG jlist %s\nARG jobs %d\nARG maxlen %d\nARG maxticket %d\nARG quantum %d\nARG seed %d\n\n",
		t.o.JList, t.o.Jobs, t.o.MaxLen, t.o.MaxTicket, t.o.Quantum, t.o.Seed)
	fmt.Fprint(w, "Here is the job list, with the run time of each job: \n")
	for i, j := range t.jobs {
		fmt.Fprintf(w, "  Job %d ( length = %d, tickets = %d )\n", i, int(j.Length), j.Tickets)
	}
	fmt.Fprint(w, "\n\n")
}

func (t *lotteryTool) writeProblem(w io.Writer) {
	fmt.Fprintln(w, "Here is the set of random numbers you will need (at most):")
	r := t.rng
	for range t.runTotal() {
		fmt.Fprintln(w, "Random", int(r.Random()*1000001))
	}
}

// lotteryDraws draws winning tickets as lottery.py does — a random number
// r = int(random() * 1000001), the ticket r % total — and keeps them.
type lotteryDraws struct {
	rng   *pyrand.Rand
	draws []lotteryDraw
}

// lotteryDraw is one draw: the random number, the winning ticket and the
// tickets it was drawn from.
type lotteryDraw struct {
	Random int64 `json:"random"`
	Ticket int64 `json:"ticket"`
	Total  int64 `json:"total"`
}

// drawFrom draws a ticket among total from rng, as lottery.py does.
func drawFrom(rng *pyrand.Rand, total int64) lotteryDraw {
	r := int64(rng.Random() * 1000001)
	return lotteryDraw{r, r % total, total}
}

// DrawTicket draws the next winning ticket among total.
func (d *lotteryDraws) DrawTicket(total int64) int64 {
	dr := drawFrom(d.rng, total)
	d.draws = append(d.draws, dr)
	return dr.Ticket
}
