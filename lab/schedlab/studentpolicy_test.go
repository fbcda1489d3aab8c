package schedlab

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mkos/mkos/sched"
)

// lifo is the kind of policy a student adds: one file in sched/, one line
// in sched.Policies. It runs the newest runnable task first, to completion.
type lifo struct{ stack []*sched.Entity }

func (p *lifo) Name() string                     { return "lifo" }
func (p *lifo) Add(e *sched.Entity, _ sched.Why) { p.stack = append(p.stack, e) }
func (p *lifo) Tick(*sched.Entity) bool          { return false }
func (p *lifo) Preempts(_, _ *sched.Entity) bool { return false }
func (p *lifo) Len() int                         { return len(p.stack) }
func (p *lifo) Remove(e *sched.Entity) {
	for i, x := range p.stack {
		if x == e {
			p.stack = append(p.stack[:i], p.stack[i+1:]...)
			return
		}
	}
}
func (p *lifo) Pick() *sched.Entity {
	if len(p.stack) == 0 {
		return nil
	}
	e := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	return e
}

// A policy added to sched.Policies runs under `mkos sched -p NAME` (any
// case) on the same jobs, with scheduler.py's report: here the last job to
// arrive runs first.
func TestStudentPolicyRunsInTheLab(t *testing.T) {
	sched.Policies["lifo"] = func(sched.Params) sched.Policy { return &lifo{} }
	defer delete(sched.Policies, "lifo")
	o := DefaultSchedulerOptions()
	o.Policy, o.JList = "LIFO", "3,5,10"
	l, err := NewScheduler(o)
	if err != nil {
		t.Fatalf("NewScheduler(LIFO) = %v", err)
	}
	var b bytes.Buffer
	if err := l.WriteText(&b, true); err != nil {
		t.Fatal(err)
	}
	want := `Execution trace:
  [ time   0 ] Run job   2 for 10.00 secs ( DONE at 10.00 )
  [ time  10 ] Run job   1 for 5.00 secs ( DONE at 15.00 )
  [ time  15 ] Run job   0 for 3.00 secs ( DONE at 18.00 )

Final statistics:
  Job   0 -- Response: 15.00  Turnaround 18.00  Wait 15.00
  Job   1 -- Response: 10.00  Turnaround 15.00  Wait 10.00
  Job   2 -- Response: 0.00  Turnaround 10.00  Wait 0.00

  Average -- Response: 8.33  Turnaround 14.33  Wait 8.33
`
	if got := b.String(); !strings.Contains(got, want) {
		t.Errorf("WriteText() = %s\nwant it to contain\n%s", got, want)
	}
}

func TestUnknownPolicyNamesTheTable(t *testing.T) {
	o := DefaultSchedulerOptions()
	o.Policy = "NOPE"
	if _, err := NewScheduler(o); err == nil || !strings.Contains(err.Error(), "sched.Policies has cfs, fifo") {
		t.Errorf("NewScheduler(NOPE) = %v, want an error listing sched.Policies", err)
	}
}

// A job list longer than the lab simulates: FIFO and SJF answer from a
// stand-in run (the jobs' ranks), RR from a shrunk one when every length
// and the quantum share a divisor (the answers are checked byte for byte
// against the script in testdata/ostep-long); both refuse what would show
// the stand-in (JSON). Other cases are refused with a clear error, huge
// lengths included (they used to overflow into an internal error).
func TestTooLong(t *testing.T) {
	for _, tt := range []struct {
		name, policy, jlist string
		quantum             int
		answers             bool
	}{
		{"FIFO, 1e9", "FIFO", "1000000000", 1, true},
		{"SJF, 1e20", "SJF", "99999999999999999999", 1, true},
		{"FIFO, two of 3e6", "FIFO", "3000000,3000000", 1, true},
		{"RR, two of 3e6, quantum 1000", "RR", "3000000,3000000", 1000, true},
		{"RR, 1e20", "RR", "99999999999999999999", 1, false},
		{"RR, two of 3e6, quantum 1", "RR", "3000000,3000000", 1, false},
		{"RR, shrunk but still too long", "RR", "30000000,30000002", 2, false},
		{"STCF, 1e9", "STCF", "1000000000", 1, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultSchedulerOptions()
			o.Policy, o.JList, o.Quantum = tt.policy, tt.jlist, tt.quantum
			l, err := NewScheduler(o)
			if err == nil {
				err = l.WriteText(&bytes.Buffer{}, true)
			}
			if tt.answers {
				if err != nil {
					t.Fatalf("-p %s -l %s: WriteText() = %v, want answers", tt.policy, tt.jlist, err)
				}
				if err := l.WriteJSON(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "would show") {
					t.Errorf("-p %s -l %s: WriteJSON() = %v, want the stand-in refused", tt.policy, tt.jlist, err)
				}
				if need := totalTicks(l.Workload().Jobs); need > maxRunTicks {
					t.Errorf("-p %s -l %s: the kernel ran jobs of %g ticks, want a stand-in within %d", tt.policy, tt.jlist, need, maxRunTicks)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "mkos simulates every tick and stops at 5000000") {
				t.Errorf("-p %s -l %s: WriteText() = %v, want the length refused", tt.policy, tt.jlist, err)
			}
		})
	}
}
