package sched

import (
	"strconv"
	"strings"
	"testing"
)

// scheduleCase is one named schedule a policy must produce.
type scheduleCase struct {
	name   string
	params Params
	ticks  int
	jobs   []job
	want   string // the job run in each tick, "." when idle
}

// checkSchedules runs every case under the named policy and compares the
// schedule it produces.
func checkSchedules(t *testing.T, policy string, cases []scheduleCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			p := mustNew(t, policy, tt.params)
			if got := simulate(p, tt.ticks, showID, tt.jobs...); got != tt.want {
				t.Errorf("schedule = %q, want %q", got, tt.want)
			}
		})
	}
}

// tickNs is the length of one clock tick in the tests' simulated kernel.
const tickNs = 1_000_000

// job is one task of a test workload, in ticks.
type job struct {
	id, prio, tickets int
	arrive            int  // tick at which the task is created
	run               int  // CPU ticks until it exits; 0 runs forever
	declared          int  // LengthNs in ticks; 0 means run
	unknown           bool // LengthNs left 0 (unknown)
	ioEvery, ioTicks  int  // blocks for ioTicks after every ioEvery CPU ticks
}

// sim is a one-CPU kernel in miniature: it creates, wakes, runs, ticks,
// blocks and preempts entities the way the kernel calls a Policy.
type sim struct {
	p       Policy
	jobs    []job
	es      []*Entity
	cur     *Entity
	wakeAt  map[int][]*Entity
	ranTick []int  // CPU ticks used, per job
	created []bool // per job
}

func newSim(p Policy, jobs ...job) *sim {
	s := &sim{p: p, jobs: jobs, wakeAt: map[int][]*Entity{}, ranTick: make([]int, len(jobs)), created: make([]bool, len(jobs))}
	for i, j := range jobs {
		e := &Entity{ID: j.id, Prio: j.prio, Tickets: j.tickets}
		if !j.unknown {
			e.LengthNs = int64(cmpOr(j.declared, j.run)) * tickNs
		}
		s.es = append(s.es, e)
		s.wakeAt[j.arrive] = append(s.wakeAt[j.arrive], s.es[i])
	}
	return s
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// index returns the position of e in s.jobs.
func (s *sim) index(e *Entity) int {
	for i, x := range s.es {
		if x == e {
			return i
		}
	}
	panic("sim: unknown entity")
}

// step runs tick t and returns the entity that ran, nil when idle, and
// show's view of it as it started the tick.
func (s *sim) step(t int, show func(*Entity) string) (*Entity, string) {
	for _, e := range s.wakeAt[t] {
		why := Woken
		if i := s.index(e); !s.created[i] {
			why, s.created[i] = Created, true
		}
		s.p.Add(e, why)
		if s.cur != nil && s.p.Preempts(s.cur, e) {
			s.p.Add(s.cur, Preempted)
			s.cur = nil
		}
	}
	if s.cur == nil {
		s.cur = s.p.Pick()
	}
	ran := s.cur
	if ran == nil {
		s.p.Tick(nil)
		return nil, "."
	}
	label := show(ran)
	i := s.index(ran)
	ran.RanNs += tickNs
	s.ranTick[i]++
	preempt := s.p.Tick(ran)
	j := s.jobs[i]
	switch {
	case j.run > 0 && s.ranTick[i] >= j.run:
		s.cur = nil // exits
	case j.ioEvery > 0 && s.ranTick[i]%j.ioEvery == 0:
		s.cur = nil // blocks
		s.wakeAt[t+1+j.ioTicks] = append(s.wakeAt[t+1+j.ioTicks], ran)
	case preempt:
		s.p.Add(ran, Preempted)
		s.cur = nil
	}
	return ran, label
}

// simulate runs jobs on p for ticks ticks and returns what ran in each
// tick, as show formats it ("." when idle), separated by spaces.
func simulate(p Policy, ticks int, show func(*Entity) string, jobs ...job) string {
	s := newSim(p, jobs...)
	out := make([]string, ticks)
	for t := range out {
		_, out[t] = s.step(t, show)
	}
	return strings.Join(out, " ")
}

// showID shows the entity's ID.
func showID(e *Entity) string { return strconv.Itoa(e.ID) }

// counts runs jobs on p for ticks ticks and returns the ticks each ID got.
func counts(p Policy, ticks int, jobs ...job) map[int]int {
	s := newSim(p, jobs...)
	n := map[int]int{}
	for t := range ticks {
		if e, _ := s.step(t, showID); e != nil {
			n[e.ID]++
		}
	}
	return n
}

// mustNew returns the named policy or fails the test.
func mustNew(t *testing.T, name string, p Params) Policy {
	t.Helper()
	pol, err := New(name, p)
	if err != nil {
		t.Fatalf("New(%q) error: %v", name, err)
	}
	return pol
}
