package mm

import (
	"container/list"
	"fmt"
	"sort"

	"github.com/mkos/mkos/internal/pyrand"
)

// Page names a page the memory manager keeps resident: a page of one task's
// address space, or a page of a shared object that several tasks map.
type Page struct {
	// Space is the owning task's endpoint, or sharedSpace|id for the
	// shared object id.
	Space uint64
	// VPN is the virtual page number (VA / ipc.PageSize) in the task, or
	// the page's index in the shared object.
	VPN uint64
}

// Policy chooses which resident page to evict. mm tells it what becomes
// resident, what is referenced and what leaves memory; it only ever
// answers Victim. Every policy is deterministic: the same calls give the
// same victims (rand draws from a seeded generator).
//
// References reach a policy in one of two ways (see doc.go): in the paging
// lab each reference is reported exactly (Touch after every access, hit or
// miss); in normal operation mm samples and clears the MMU's accessed bits
// of the resident pages just before it asks for a victim and Touches the
// pages whose bit was set, in the policy's order.
type Policy interface {
	// Name is the policy's name in Policies.
	Name() string
	// Insert records that p just became resident (a miss).
	Insert(p Page)
	// Touch records a reference to the resident page p.
	Touch(p Page)
	// Remove forgets p, which left memory without being chosen (munmap,
	// the task's death).
	Remove(p Page)
	// Victim chooses a resident page to evict and forgets it; false when
	// no page is resident.
	Victim() (Page, bool)
	// Resident lists the resident pages in the policy's order: the order
	// the paging lab prints, left to right.
	Resident() []Page
}

// Params configures a policy. Zero values take the defaults noted.
type Params struct {
	// Seed seeds rand's generator (and clock's random hand) when Rand is
	// nil.
	Seed int64
	// Rand is the generator rand and clock draw from, as CPython's
	// random.random() (the lab passes paging-policy.py's stream).
	Rand *pyrand.Rand
	// ClockBits is clock's counter limit: a reference adds one up to it,
	// the hand takes one off (1 = the classic second chance bit; default
	// 1).
	ClockBits int
	// ClockRandomHand makes clock's hand land on a random page at each
	// step, as paging-policy.py does, instead of sweeping the frames in
	// order.
	ClockRandomHand bool
	// Future is the reference string as virtual page numbers (Page.VPN),
	// for opt and unopt: the Nth Touch is reference N.
	Future []uint64
}

// Policies maps the name used by the CLI and by Options.Policy to a
// constructor. One file and one line each.
var Policies = map[string]func(Params) Policy{
	"fifo":  newFIFO,
	"lru":   newLRU,
	"mru":   newMRU,
	"clock": newClock,
	"opt":   newOPT,
	"unopt": newUnopt,
	"rand":  newRand,
}

// PolicyNames returns the policy names in sorted order.
func PolicyNames() []string {
	names := make([]string, 0, len(Policies))
	for n := range Policies {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// NewPolicy returns the named policy.
func NewPolicy(name string, p Params) (Policy, error) {
	mk, ok := Policies[name]
	if !ok {
		return nil, fmt.Errorf("policy %q is not one of %v", name, PolicyNames())
	}
	return mk(p), nil
}

// sampled is implemented by policies that want every reference (lru,
// mru): outside the lab, mm samples all the accessed bits for them before
// each eviction. fifo, rand and the offline policies want none and cost
// mm nothing.
type sampled interface{ wantsReferences() bool }

// wantsReferences reports whether p wants a full sample before Victim.
func wantsReferences(p Policy) bool {
	s, ok := p.(sampled)
	return ok && s.wantsReferences()
}

// bitReader is implemented by policies that read the accessed bits
// themselves, page by page as they look for a victim (clock): outside the
// lab, mm gives them a function that tests and clears a page's bit.
type bitReader interface{ readBits(func(Page) bool) }

// order is the resident pages in a sequence (insertion order, or
// recency): a linked list with an index, so that membership, removal and
// moving to the back are O(1); positions are O(n).
type order struct {
	l  list.List
	at map[Page]*list.Element
}

func newOrder() *order { return &order{at: map[Page]*list.Element{}} }

func (o *order) len() int { return len(o.at) }

func (o *order) has(p Page) bool { _, ok := o.at[p]; return ok }

// pushBack appends p, or moves it to the back when it is there already.
func (o *order) pushBack(p Page) {
	if e, ok := o.at[p]; ok {
		o.l.MoveToBack(e)
		return
	}
	o.at[p] = o.l.PushBack(p)
}

func (o *order) remove(p Page) bool {
	e, ok := o.at[p]
	if ok {
		o.l.Remove(e)
		delete(o.at, p)
	}
	return ok
}

// index returns the page at position i (0 is the front).
func (o *order) index(i int) Page {
	e := o.l.Front()
	for ; i > 0; i-- {
		e = e.Next()
	}
	return e.Value.(Page)
}

// popAt removes and returns the page at position i.
func (o *order) popAt(i int) Page {
	p := o.index(i)
	o.remove(p)
	return p
}

func (o *order) pages() []Page {
	out := make([]Page, 0, o.len())
	for e := o.l.Front(); e != nil; e = e.Next() {
		out = append(out, e.Value.(Page))
	}
	return out
}

// rng returns the generator a policy draws from.
func rng(p Params) *pyrand.Rand {
	if p.Rand != nil {
		return p.Rand
	}
	return pyrand.New(p.Seed)
}
