package schedlab

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mkos/mkos/sched"
)

// logPolicy is a policy that logs every call the wrapper makes to it. It
// queues in FIFO order; preempt and preempts are its answers to Tick and
// Preempts.
type logPolicy struct {
	log      []string
	q        []*sched.Entity
	preempt  bool
	preempts bool
}

func (p *logPolicy) logf(format string, args ...any) {
	p.log = append(p.log, fmt.Sprintf(format, args...))
}

func (p *logPolicy) Name() string { return "log" }
func (p *logPolicy) Len() int     { return len(p.q) }

func (p *logPolicy) Add(e *sched.Entity, why sched.Why) {
	p.logf("Add(%d,%d)", e.ID, why)
	p.q = append(p.q, e)
}

func (p *logPolicy) Remove(e *sched.Entity) { p.logf("Remove(%d)", e.ID) }

func (p *logPolicy) Pick() *sched.Entity {
	if len(p.q) == 0 {
		p.logf("Pick()=nil")
		return nil
	}
	e := p.q[0]
	p.q = p.q[1:]
	p.logf("Pick()=%d", e.ID)
	return e
}

func (p *logPolicy) Tick(cur *sched.Entity) bool {
	if cur == nil {
		p.logf("Tick(nil)")
		return false
	}
	p.logf("Tick(%d)", cur.ID)
	return p.preempt
}

func (p *logPolicy) Preempts(cur, woken *sched.Entity) bool {
	p.logf("Preempts(%d,%d)", cur.ID, woken.ID)
	return p.preempts
}

// The wrapper shows the policy the jobs only, and what the four steps of
// an instant need (labpolicy.go). Entities: 1 the lab task, 2 the idle
// task, 3 and 4 jobs 0 and 1, whose single burst is 2 ticks.
func TestLabPolicy(t *testing.T) {
	type step func(p *labPolicy, inner *logPolicy, e map[int]*sched.Entity) string
	add := func(id int, why sched.Why) step {
		return func(p *labPolicy, _ *logPolicy, e map[int]*sched.Entity) string { p.Add(e[id], why); return "" }
	}
	pick := func(p *labPolicy, _ *logPolicy, _ map[int]*sched.Entity) string {
		if e := p.Pick(); e != nil {
			return fmt.Sprintf("picked %d", e.ID)
		}
		return "picked none"
	}
	tick := func(id int) step {
		return func(p *labPolicy, _ *logPolicy, e map[int]*sched.Entity) string {
			return fmt.Sprintf("Tick(%d)=%v", id, p.Tick(e[id]))
		}
	}
	preempts := func(cur, woken int) step {
		return func(p *labPolicy, _ *logPolicy, e map[int]*sched.Entity) string {
			return fmt.Sprintf("Preempts(%d,%d)=%v", cur, woken, p.Preempts(e[cur], e[woken]))
		}
	}
	run := func(id int, ticks int64) step {
		return func(_ *labPolicy, _ *logPolicy, e map[int]*sched.Entity) string {
			e[id].RanNs += ticks * unitNs
			return ""
		}
	}
	answers := func(preempt, preempts bool) step {
		return func(_ *labPolicy, inner *logPolicy, _ map[int]*sched.Entity) string {
			inner.preempt, inner.preempts = preempt, preempts
			return ""
		}
	}
	tests := []struct {
		name  string
		steps []step
		want  string // what the wrapper answered, then | and what the policy saw
	}{
		{"the helper tasks never reach the policy",
			[]step{add(1, sched.Woken), add(2, sched.Preempted), pick, pick, pick},
			"picked 1 picked 2 picked none | Pick()=nil Pick()=nil"},
		{"the lab task takes the CPU at once, and the job it took it from resumes unseen",
			[]step{add(3, sched.Created), pick, preempts(3, 1), add(1, sched.Woken), add(3, sched.Preempted), pick, pick},
			"picked 3 Preempts(3,1)=true picked 1 picked 3 | Add(3,0) Pick()=3"},
		{"a job the lab task admits may preempt the parked job",
			[]step{add(3, sched.Created), pick, add(1, sched.Woken), add(3, sched.Preempted), pick,
				answers(false, true), add(4, sched.Created), preempts(1, 4), pick},
			"picked 3 picked 1 Preempts(1,4)=false picked 4 | Add(3,0) Pick()=3 Add(4,0) Preempts(3,4) Add(3,2) Pick()=4"},
		{"a job at the end of its burst is not preempted",
			[]step{add(3, sched.Created), add(4, sched.Created), pick, answers(true, true), run(3, 1), tick(3), run(3, 1), tick(3), preempts(3, 4)},
			"picked 3 Tick(3)=true Tick(3)=false Preempts(3,4)=false | Add(3,0) Add(4,0) Pick()=3 Tick(3) Tick(3)"},
		{"the idle task's ticks reach the policy as Tick(nil)",
			[]step{add(2, sched.Created), pick, tick(2), preempts(2, 3)},
			"picked 2 Tick(2)=false Preempts(2,3)=true | Pick()=nil Tick(nil)"},
		{"a job woken while the idle task runs goes to the policy",
			[]step{add(2, sched.Created), pick, add(3, sched.Woken), add(2, sched.Preempted), pick, pick},
			"picked 2 picked 3 picked 2 | Pick()=nil Add(3,1) Pick()=3 Pick()=nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &Workload{Jobs: []Job{{Length: 2}, {Length: 2}}, TicksPerUnit: 1}
			inner := &logPolicy{}
			p := newLabPolicy(inner, w)
			e := map[int]*sched.Entity{}
			for id, k := range map[int]taskKind{1: kindLab, 2: kindIdle, 3: kindJob, 4: kindJob} {
				e[id] = &sched.Entity{ID: id}
				p.announce(k, id-3)
				p.register(id)
			}
			var got []string
			for _, s := range tt.steps {
				if out := s(p, inner, e); out != "" {
					got = append(got, out)
				}
			}
			got = append(append(got, "|"), inner.log...)
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("got  %q\nwant %q", s, tt.want)
			}
			if p.err != nil {
				t.Errorf("err = %v", p.err)
			}
		})
	}
}
