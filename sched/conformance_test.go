package sched

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The conformance tests run over every entry of Policies, each with its
// default parameters and with a set that exercises its options.

// paramSets are the parameter sets every policy is checked with.
var paramSets = []struct {
	name string
	p    Params
}{
	{"defaults", Params{}},
	{"options", Params{
		QuantumTicks: 3, Levels: 4, Queues: 4,
		LevelQuantumTicks: []int{1, 2, 4}, LevelAllotQuanta: []int{2, 1},
		BoostTicks: 17, KeepLevelOnBlock: true, WokenToFront: true, Seed: 99,
	}},
}

// mayStarve reports whether the named policy declares, by implementing
// Starver, that it may starve a task by design (see docs/extending.md).
func mayStarve(t *testing.T, name string) bool {
	s, ok := mustNew(t, name, Params{}).(Starver)
	return ok && s.MayStarve()
}

// forEachPolicy runs f as a subtest for every policy and parameter set.
func forEachPolicy(t *testing.T, f func(t *testing.T, name string, p Params)) {
	forPolicies(t, Names(), f)
}

// forPolicies runs f for the named policies with each parameter set.
func forPolicies(t *testing.T, names []string, f func(t *testing.T, name string, p Params)) {
	for _, name := range names {
		for _, ps := range paramSets {
			t.Run(name+"/"+ps.name, func(t *testing.T) { f(t, name, ps.p) })
		}
	}
}

func TestPoliciesTable(t *testing.T) {
	for _, name := range Names() {
		p := mustNew(t, name, Params{})
		if got := p.Name(); got != name {
			t.Errorf("Policies[%q].Name() = %q, want %q", name, got, name)
		}
	}
	if _, err := New("no-such-policy", Params{}); err == nil {
		t.Errorf("New(%q) error = nil, want an error", "no-such-policy")
	}
}

func TestConformanceEmpty(t *testing.T) {
	forEachPolicy(t, func(t *testing.T, name string, p Params) {
		pol := mustNew(t, name, p)
		if got := pol.Len(); got != 0 {
			t.Errorf("Len() = %d, want 0", got)
		}
		if got := pol.Pick(); got != nil {
			t.Errorf("Pick() = entity %d, want nil", got.ID)
		}
		if pol.Tick(nil) {
			t.Errorf("Tick(nil) = true, want false")
		}
	})
}

// state is what the conformance driver knows of one entity.
type state uint8

const (
	fresh   state = iota // never added, or removed (dead)
	queued               // added, not picked
	running              // picked
	blocked              // ran, then blocked
)

// checker drives a policy with random kernel-like calls and checks the
// contract after each one.
type checker struct {
	t     *testing.T
	pol   Policy
	es    []*Entity
	st    []state
	cur   int // index of the running entity, -1 when idle
	rng   *rand.Rand
	picks []int // times each entity was picked
	// exits makes a task exit once RanNs reaches LengthNs; exited counts
	// them.
	exits  bool
	exited int
}

func newChecker(t *testing.T, pol Policy, n int, seed uint64) *checker {
	c := &checker{t: t, pol: pol, st: make([]state, n), cur: -1,
		rng: rand.New(rand.NewPCG(seed, 1)), picks: make([]int, n)}
	for i := range n {
		c.es = append(c.es, &Entity{ID: i, Prio: i % 3, Tickets: 1 + i*7%50,
			LengthNs: int64(1+i%5) * 10 * tickNs})
	}
	return c
}

// add adds entity i as the kernel would, preempting the running one if
// the policy says so.
func (c *checker) add(i int, why Why) {
	c.pol.Add(c.es[i], why)
	c.st[i] = queued
	if c.cur >= 0 && c.pol.Preempts(c.es[c.cur], c.es[i]) {
		c.preempt()
	}
}

func (c *checker) preempt() {
	i := c.cur
	c.cur = -1
	c.pol.Add(c.es[i], Preempted)
	c.st[i] = queued
}

// pick runs Pick on an idle CPU and checks what it returns.
func (c *checker) pick() {
	n := c.pol.Len()
	e := c.pol.Pick()
	switch {
	case e == nil && n > 0:
		c.t.Fatalf("Pick() = nil with Len() = %d, want an entity", n)
	case e == nil:
		return
	case n == 0:
		c.t.Fatalf("Pick() = %d with Len() = 0, want nil", e.ID)
	case c.st[e.ID] != queued:
		c.t.Fatalf("Pick() = %d, which is not queued (state %d)", e.ID, c.st[e.ID])
	case e.Queued:
		c.t.Fatalf("Pick() = %d with Queued still true", e.ID)
	}
	c.cur = e.ID
	c.st[e.ID] = running
	c.picks[e.ID]++
}

// tick charges one tick to the running entity, if any.
func (c *checker) tick() {
	if c.cur < 0 {
		c.pol.Tick(nil)
		return
	}
	e := c.es[c.cur]
	e.RanNs += tickNs
	preempt := c.pol.Tick(e)
	switch {
	case c.exits && e.RanNs >= e.LengthNs:
		c.st[c.cur], c.cur = fresh, -1
		c.exited++
	case preempt:
		c.preempt()
	}
}

// check compares Len and every Queued flag with the driver's states.
func (c *checker) check(op string) {
	n := 0
	for i, s := range c.st {
		if s == queued {
			n++
		}
		if c.es[i].Queued != (s == queued) {
			c.t.Fatalf("after %s: entity %d Queued = %v, want %v", op, i, c.es[i].Queued, s == queued)
		}
	}
	if got := c.pol.Len(); got != n {
		c.t.Fatalf("after %s: Len() = %d, want %d", op, got, n)
	}
}

// step makes one random kernel call.
func (c *checker) step() {
	i := c.rng.IntN(len(c.es))
	switch op := c.rng.IntN(10); {
	case op < 2 && c.st[i] == fresh:
		c.add(i, Created)
		c.check("Add(Created)")
	case op < 3 && c.st[i] == blocked:
		c.add(i, Woken)
		c.check("Add(Woken)")
	case op < 4 && c.st[i] == queued:
		c.pol.Remove(c.es[i])
		c.st[i] = fresh
		c.check("Remove")
	case op < 5 && c.cur >= 0:
		c.st[c.cur], c.cur = blocked, -1
	case op < 6 && c.cur >= 0:
		j := c.cur
		c.cur = -1
		c.pol.Add(c.es[j], Yielded)
		c.st[j] = queued
		c.check("Add(Yielded)")
	default:
		c.tick()
		c.check("Tick")
	}
	if c.cur < 0 {
		c.pick()
		c.check("Pick")
	}
}

func TestConformanceRandomCalls(t *testing.T) {
	forEachPolicy(t, func(t *testing.T, name string, p Params) {
		for seed := range uint64(5) {
			c := newChecker(t, mustNew(t, name, p), 12, seed)
			for range 3000 {
				c.step()
			}
		}
	})
}

func TestConformanceNoStarvation(t *testing.T) {
	var fair []string // the policies that promise every task runs
	for _, name := range Names() {
		if !mayStarve(t, name) {
			fair = append(fair, name)
		}
	}
	forPolicies(t, fair, func(t *testing.T, name string, p Params) {
		c := newChecker(t, mustNew(t, name, p), 8, 1)
		for i := range c.es {
			c.add(i, Created)
		}
		ran := 0 // ticks since the running task was picked
		for range 20000 {
			if c.cur < 0 {
				c.pick()
				ran = 0
			}
			c.tick()
			if ran++; c.cur >= 0 && ran == 5 {
				c.preempt() // a more important task came and went
			}
		}
		for i, n := range c.picks {
			if n == 0 {
				t.Errorf("entity %d never picked in 20000 ticks; picks = %v", i, c.picks)
			}
		}
	})
}

func TestConformanceAllFinish(t *testing.T) {
	forEachPolicy(t, func(t *testing.T, name string, p Params) {
		c := newChecker(t, mustNew(t, name, p), 8, 1)
		c.exits = true
		for i := range c.es {
			c.add(i, Created)
		}
		for tick := 0; c.exited < len(c.es); tick++ {
			if tick > 10000 {
				t.Fatalf("%d tasks still unfinished after %d ticks", len(c.es)-c.exited, tick)
			}
			if c.cur < 0 {
				c.pick()
			}
			c.tick()
			c.check("Tick")
		}
	})
}

func TestConformanceNoAllocs(t *testing.T) {
	forEachPolicy(t, func(t *testing.T, name string, p Params) {
		c := newChecker(t, mustNew(t, name, p), 8, 1)
		for i := range c.es {
			c.add(i, Created)
		}
		allocs := testing.AllocsPerRun(200, func() {
			if c.cur < 0 {
				c.pick()
			}
			c.tick()
			if c.cur >= 0 && c.rng.IntN(4) == 0 {
				c.preempt()
			}
		})
		if allocs != 0 {
			t.Errorf("Add/Pick/Tick allocate %v times per call, want 0", allocs)
		}
	})
}

func ExampleNew() {
	p, err := New("mlfq", Params{Queues: 3, QuantumTicks: 2, BoostTicks: 100})
	if err != nil {
		panic(err)
	}
	a, b := &Entity{ID: 1}, &Entity{ID: 2}
	p.Add(a, Created)
	p.Add(b, Created)
	cur := p.Pick()
	for tick := 1; !p.Tick(cur); tick++ {
		fmt.Printf("tick %d: task %d at level %d\n", tick, cur.ID, cur.Level)
	}
	fmt.Printf("task %d preempted, moved to level %d\n", cur.ID, cur.Level)
	// Output:
	// tick 1: task 1 at level 0
	// task 1 preempted, moved to level 1
}

// The built-in policies that may starve say so; the others promise not to.
func TestStarversDeclared(t *testing.T) {
	for name, want := range map[string]bool{"prio": true, "sjf": true, "stcf": true,
		"fifo": false, "rr": false, "mlfq": false, "lottery": false, "stride": false, "cfs": false} {
		if got := mayStarve(t, name); got != want {
			t.Errorf("mayStarve(%s) = %v, want %v", name, got, want)
		}
	}
}
