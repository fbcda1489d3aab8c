package sched

import (
	"fmt"
	"sort"
)

// Why says why an entity is being added to a run queue.
type Why uint8

const (
	// Created: the task was just created.
	Created Why = iota
	// Woken: the task was blocked and is runnable again.
	Woken
	// Preempted: the task used up its quantum or a more important task
	// took its CPU.
	Preempted
	// Yielded: the task gave up the CPU voluntarily.
	Yielded
)

// Entity is the scheduler's view of one task. The kernel fills the exported
// fields above the line; policies own the rest.
type Entity struct {
	// ID is the task's slot, used to break ties deterministically.
	ID int
	// Prio is the static priority, 0 the highest.
	Prio int
	// RanNs is the virtual CPU time the task has used, kept by the kernel.
	RanNs int64
	// Tickets is the task's share of the CPU under lottery and stride; 0
	// means DefaultTickets. A change takes effect when the task is next
	// queued (lottery) or next runs (stride).
	Tickets int
	// LengthNs is the task's declared total CPU need, read by sjf and
	// stcf; 0 means unknown, which sorts after every declared length.
	LengthNs int64

	// --- policy-owned ---

	// QuantumLeft counts the ticks left in the current quantum.
	QuantumLeft int
	// Queued is true while the entity sits in a run queue.
	Queued bool
	// Level is the mlfq queue the task belongs to, 0 the highest.
	Level int
	// AllotLeft counts the quanta the task may still use at Level before
	// mlfq moves it down.
	AllotLeft int
	// Pass is the stride scheduler's pass value: the smallest runs next.
	Pass int64
	// VruntimeNs is cfs's virtual runtime: RanNs weighted by priority.
	VruntimeNs int64

	next, prev *Entity
	// heldTickets are the tickets lottery counted when it queued e.
	heldTickets int64
	// ranSeenNs is the part of RanNs already charged to VruntimeNs (cfs).
	ranSeenNs int64
	// epoch is the mlfq boost count when Level was last set.
	epoch uint64
	// pickedAt and bumpedAt order mlfq's picks and front insertions.
	pickedAt, bumpedAt uint64
	// sliceDone is set by mlfq when the current slice ended and the task
	// must queue at the back.
	sliceDone bool
	// endedSlice is set by mlfq when the last tick charged ended a slice,
	// which ran at endedLevel.
	endedSlice bool
	endedLevel int
}

// Policy is one CPU's run queue and its rules.
//
// Preconditions: the kernel calls Add only for an entity that is not queued
// and not running, Remove only for a queued one, and Pick, Tick and Preempts
// from one goroutine at a time.
type Policy interface {
	// Name is the name used in Policies.
	Name() string
	// Add makes e runnable on this CPU.
	Add(e *Entity, why Why)
	// Remove takes a queued e out without running it (it died).
	Remove(e *Entity)
	// Pick removes and returns the entity to run next, nil when none is
	// runnable. It also starts the picked entity's quantum.
	Pick() *Entity
	// Tick accounts one clock tick to the running entity cur and reports
	// whether cur must be preempted. On an idle CPU the kernel calls
	// Tick(nil), which reports false; policies with a clock of their own
	// (mlfq's boost) count it.
	Tick(cur *Entity) bool
	// Preempts reports whether woken, just added, should take the CPU from
	// cur at once rather than wait for cur's quantum to end.
	Preempts(cur, woken *Entity) bool
	// Len returns the number of queued entities.
	Len() int
}

// Starver is implemented by a policy that may leave a task waiting forever,
// by design, while others keep running: strict priorities, and
// shortest-first, where a short job that is preempted but never finishes
// stays the shortest. MayStarve returning true exempts the policy from the
// conformance test that every task gets the CPU (TestConformanceNoStarvation);
// every other conformance test still applies. A policy that does not
// implement Starver promises that no task starves.
type Starver interface {
	MayStarve() bool
}

// Params configures a policy. A zero field means its default (see New).
type Params struct {
	// QuantumTicks is the time slice in clock ticks (policies that slice).
	QuantumTicks int
	// Levels is the number of priority levels (prio: 0..Levels-1).
	Levels int

	// Queues is the number of mlfq levels, 0 the highest. Zero means the
	// length of LevelQuantumTicks or LevelAllotQuanta, else 3.
	Queues int
	// LevelQuantumTicks is the time slice of each mlfq level, highest
	// first (mlfq.py -Q). Empty means QuantumTicks at every level; a short
	// list repeats its last entry.
	LevelQuantumTicks []int
	// LevelAllotQuanta is how many slices a task may use at each mlfq
	// level before it moves down, highest first (mlfq.py -A). Empty means
	// 1 at every level; a short list repeats its last entry.
	LevelAllotQuanta []int
	// BoostTicks is the period of mlfq's priority boost (rule 5), in
	// ticks; 0 never boosts.
	BoostTicks int
	// KeepLevelOnBlock selects mlfq's old rule 4b (mlfq.py -S): a task
	// that blocks or yields keeps its level and gets a fresh allotment,
	// which lets a task game the scheduler.
	KeepLevelOnBlock bool
	// WokenToFront puts a woken mlfq task at the front of its level,
	// ahead of the running task (mlfq.py -I).
	WokenToFront bool
	// BoostLowestFirst makes mlfq's boost keep mlfq.py's order: the
	// levels below the top join it lowest level first, the running task
	// counted in its level (see mlfq_ostep.go). By default they join
	// highest first, in priority order.
	BoostLowestFirst bool

	// Seed seeds lottery's random number generator; every seed, 0
	// included, gives its own reproducible draw.
	Seed uint64
	// Draw, when set, draws lottery's winning tickets instead of the
	// generator seeded by Seed. The scheduling lab passes one that draws
	// as OSTEP's lottery.py does.
	Draw TicketDrawer

	// Wrap, when set, is applied to each policy New builds, and New
	// returns what it returns. A harness uses it to watch a policy or to
	// keep helper tasks of its own out of it (the scheduling lab,
	// lab/schedlab, does both). The wrapper must keep the Policy contract.
	Wrap func(Policy) Policy
}

// DefaultParams are the parameters used when a field is zero.
var DefaultParams = Params{QuantumTicks: 1, Levels: 16, Queues: 3}

// DefaultTickets is the share of an entity whose Tickets is 0.
const DefaultTickets = 100

// Policies maps the name used by the CLI and boot files to a constructor.
var Policies = map[string]func(Params) Policy{
	"fifo":    newFIFO,
	"rr":      newRoundRobin,
	"prio":    newPriority,
	"sjf":     newSJF,
	"stcf":    newSTCF,
	"mlfq":    newMLFQ,
	"lottery": newLottery,
	"stride":  newStride,
	"cfs":     newCFS,
}

// New returns the named policy, with zero fields of p taken from
// DefaultParams.
func New(name string, p Params) (Policy, error) {
	mk, ok := Policies[name]
	if !ok {
		return nil, fmt.Errorf("unknown scheduling policy %q (have %v)", name, Names())
	}
	pol := mk(p.withDefaults())
	if p.Wrap != nil {
		pol = p.Wrap(pol)
	}
	return pol, nil
}

// withDefaults returns p with its zero fields set from DefaultParams.
func (p Params) withDefaults() Params {
	if p.QuantumTicks <= 0 {
		p.QuantumTicks = DefaultParams.QuantumTicks
	}
	if p.Levels <= 0 {
		p.Levels = DefaultParams.Levels
	}
	if p.Queues <= 0 {
		p.Queues = max(len(p.LevelQuantumTicks), len(p.LevelAllotQuanta))
	}
	if p.Queues <= 0 {
		p.Queues = DefaultParams.Queues
	}
	return p
}

// tickets returns e's lottery and stride share.
func tickets(e *Entity) int64 {
	if e.Tickets <= 0 {
		return DefaultTickets
	}
	return int64(e.Tickets)
}

// byID orders entities by ID alone.
func byID(a, b *Entity) bool { return a.ID < b.ID }

// Names returns the policy names in sorted order.
func Names() []string {
	names := make([]string, 0, len(Policies))
	for n := range Policies {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
