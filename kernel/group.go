package kernel

import (
	"errors"
	"fmt"
	"sync/atomic"
)

// Several kernels on one timeline. LECTURE: group
//
// A simulated network has several machines, each with its own kernel; a
// cluster has several nodes. Each kernel is deterministic by itself; for
// the whole to be, their steps must be interleaved in one order that does
// not depend on the host. A Group does it the way conservative parallel
// discrete-event simulation does (Chandy and Misra):
//
//   - Only one kernel runs at a time. Its Run goes on on its own goroutine,
//     but a kernel in a group asks the group before every step whether it
//     may take it (the gate in next(), cpu.go); the group hands the turn
//     from one kernel to the next over channels, so nothing is shared
//     between two goroutines running at once.
//   - A kernel affects another only through Post (a frame on the wire, a
//     message of the bus between nodes), which arrives at least the
//     lookahead L after it was sent: a link's latency, a bus hop.
//   - The kernel with the earliest next step runs, until its next step is
//     later than the others' earliest plus L minus one nanosecond: nothing
//     the others do from now on can reach it before then. A Post shortens
//     the sender's turn, since the receiver may answer L after receiving.
//
// The order of turns is a function of the kernels' states only, so the
// same kernels with the same seeds give the same run, event for event. A
// kernel with nothing to do waits in its gate instead of ending (input may
// still come); the group ends when every kernel is idle and no source has
// more to deliver, or each kernel reached its own Config.MaxTimeNs.
//
// Rejected: running the kernels' goroutines freely with a lock on each
// kernel (the host's scheduler would decide who sends first), and one
// engine running every kernel's tasks (a kernel's engine hands the CPU
// straight from coroutine to coroutine; a second kernel in that chain
// would be a special case in every switch).

// Source is an input from outside the group's kernels (a NATS
// subscription). The group calls Settle between two turns, while no kernel
// runs: it must Post everything that arrived so far and that must be seen
// (for determinism: everything the kernels sent it so far, waiting for it
// to arrive). idle says every kernel has nothing to do: a source that
// expects input from outside (a node waiting for remote calls) may block
// until some arrives. It returns false when it will deliver nothing more.
type Source interface {
	Settle(g *Group, idle bool) (more bool)
}

// Group steps several kernels on one virtual timeline, one at a time, in
// virtual-time order with a lookahead. See NewGroup.
type Group struct {
	lookahead int64
	members   []*member
	sources   []Source
	running   int
	back      chan *member // a kernel hands its turn back
	started   bool
	stop      atomic.Bool
}

// member is one kernel of a group and its gate.
type member struct {
	g       *Group
	idx     int
	k       *Kernel
	turn    chan bool // true: run on; false: the group ends
	horizon int64     // the last virtual time this turn may reach
	done    bool      // its Run returned
	err     error
}

// NewGroup returns a group whose cross-kernel deliveries take at least
// lookaheadNs (>= 1) of virtual time: a link's latency, a bus hop.
func NewGroup(lookaheadNs int64) (*Group, error) {
	if lookaheadNs < 1 {
		return nil, fmt.Errorf("group: lookahead %d ns: must be at least 1", lookaheadNs)
	}
	return &Group{lookahead: lookaheadNs, running: -1, back: make(chan *member)}, nil
}

// Lookahead returns the group's lookahead in nanoseconds.
func (g *Group) Lookahead() int64 { return g.lookahead }

// Add puts k in the group, before Run, and returns its index. A kernel
// belongs to one group at most.
func (g *Group) Add(k *Kernel) int {
	if g.started || k.gate != nil {
		panic("kernel: Group.Add after Run, or of a kernel already in a group")
	}
	m := &member{g: g, idx: len(g.members), k: k, turn: make(chan bool)}
	k.gate = m
	g.members = append(g.members, m)
	return m.idx
}

// Kernel returns the kernel at index i.
func (g *Group) Kernel(i int) *Kernel { return g.members[i].k }

// Len returns the number of kernels.
func (g *Group) Len() int { return len(g.members) }

// AddSource adds an input from outside the kernels.
func (g *Group) AddSource(s Source) { g.sources = append(g.sources, s) }

// Running returns the index of the kernel that runs now, or -1 when none
// does (in a Source's Settle).
func (g *Group) Running() int { return g.running }

// Post delivers f to kernel `to` at virtual time at: f(now) runs there in
// kernel context, as a Schedule'd event. Call it from the running kernel's
// context (a Device method, a Schedule callback, a system call) or from a
// Source's Settle. at is raised to the running kernel's time plus the
// lookahead if it is earlier; Post also ends the running kernel's turn
// before at plus the lookahead, so that it hears an answer in time.
func (g *Group) Post(to int, at int64, f func(now int64)) {
	if to < 0 || to >= len(g.members) || f == nil {
		return
	}
	if r := g.running; r >= 0 && r != to {
		from := g.members[r]
		at = max(at, from.k.stepTime()+g.lookahead)
		from.shorten(at + g.lookahead - 1)
	}
	g.members[to].k.Schedule(at, f)
}

// Outbound tells the group that the running kernel sent something another
// kernel will see at virtual time at or later through a Source (which
// will Post it): the running kernel's turn ends before at plus the
// lookahead.
func (g *Group) Outbound(at int64) {
	if r := g.running; r >= 0 {
		m := g.members[r]
		m.shorten(max(at, m.k.stepTime()+g.lookahead) + g.lookahead - 1)
	}
}

// Stop ends the group at the next handoff. It may be called from any
// goroutine.
func (g *Group) Stop() { g.stop.Store(true) }

// ErrGroupRan is returned by a Group's second Run.
var ErrGroupRan = errors.New("kernel: Group.Run called twice")

// Run runs every kernel to its end and returns the errors of their Runs
// joined (a *Panic stops only the kernel that panicked).
func (g *Group) Run() error {
	if g.started {
		return ErrGroupRan
	}
	g.started = true
	for _, m := range g.members {
		go m.run()
	}
	for !g.stop.Load() {
		idle := true
		for _, m := range g.members {
			if !m.done && m.k.NextAt() >= 0 {
				idle = false
			}
		}
		more := false
		for _, s := range g.sources {
			if s.Settle(g, idle) {
				more = true
			}
		}
		m := g.earliest()
		if m == nil {
			if more && !g.stop.Load() {
				continue
			}
			break
		}
		g.turn(m)
	}
	var errs []error
	for _, m := range g.members {
		if !m.done {
			m.turn <- false
			<-g.back
		}
		if m.err != nil {
			errs = append(errs, m.err)
		}
	}
	return errors.Join(errs...)
}

// earliest returns the live kernel with the earliest next step (lowest
// index on ties) and sets its horizon, or nil when every kernel is idle.
func (g *Group) earliest() *member {
	var best *member
	var bestAt int64
	for _, m := range g.members {
		if m.done {
			continue
		}
		if at := m.k.NextAt(); at >= 0 && (best == nil || at < bestAt) {
			best, bestAt = m, at
		}
	}
	if best == nil {
		return nil
	}
	best.horizon = 1<<63 - 1
	for _, m := range g.members {
		if m == best || m.done {
			continue
		}
		if at := m.k.NextAt(); at >= 0 {
			best.horizon = min(best.horizon, at+g.lookahead-1)
		}
	}
	best.horizon = max(best.horizon, bestAt) // the earliest may always take its step
	best.k.bound = min(best.k.limit, best.horizon)
	return best
}

// turn lets m run until it waits at its gate or its Run ends.
func (g *Group) turn(m *member) {
	g.running = m.idx
	m.turn <- true
	<-g.back
	g.running = -1
}

// run is m's goroutine: it waits for the first turn, runs the kernel, and
// hands the turn back for good when Run returns.
func (m *member) run() {
	p := m.k.pulse // nil without a watchdog; HostWait ignores nil
	p.HostWait(true)
	first := <-m.turn
	p.HostWait(false)
	if first {
		m.err = m.k.Run()
	} else {
		m.k.Shutdown()
	}
	p.HostWait(true) // a kernel that ended never beats again: it does not spin
	m.done = true
	m.g.back <- m
}

// wait is the gate: the kernel's turn is over. It returns false when the
// group ends.
func (m *member) wait() bool {
	p := m.k.pulse
	p.HostWait(true) // a watchdog sees a kernel waiting for its turn, not spinning
	defer p.HostWait(false)
	m.g.back <- m
	return <-m.turn
}

// shorten ends m's turn before virtual time at.
func (m *member) shorten(at int64) {
	if at < m.horizon {
		m.horizon = at
		m.k.bound = min(m.k.bound, at)
	}
}
