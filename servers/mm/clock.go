package mm

import "github.com/mkos/mkos/internal/pyrand"

// clock is second chance. Each resident page has a counter; a reference
// adds one, up to ClockBits. To find a victim the hand visits pages: a
// page with a count above zero loses one and is passed over, the first
// page found at zero is evicted.
//
// The hand either sweeps the frames in a circle (the textbook clock: the
// new page takes the victim's place and the hand moves past it), or, with
// ClockRandomHand, lands on a random resident page at each step, in
// insertion order, as paging-policy.py's CLOCK does; the lab uses that one
// so that its answers are the tool's.
//
// Outside the lab references are the MMU's accessed bits: the hand reads
// and clears the bit of each page it visits (a set bit counts as a
// reference), as a hardware clock does, so a fault costs a few bit reads,
// not a scan of memory.
type clock struct {
	bits     int
	count    map[Page]int
	accessed func(Page) bool // tests and clears a page's accessed bit; nil in the lab
	// Sweeping hand: frames in a circle, holes where pages left.
	ring  []Page
	used  []bool
	slot  map[Page]int
	hand  int
	holes []int // slots victims left, newest last: the next Insert takes one
	// Random hand: insertion order, as paging-policy.py's list.
	o *order
	r *pyrand.Rand
}

func newClock(p Params) Policy {
	c := &clock{bits: max(p.ClockBits, 1), count: map[Page]int{}, slot: map[Page]int{}}
	if p.ClockRandomHand {
		c.o, c.r = newOrder(), rng(p)
	}
	return c
}

func (c *clock) Name() string               { return "clock" }
func (c *clock) readBits(f func(Page) bool) { c.accessed = f }

// visit is the hand arriving at p: it takes the accessed bit into p's
// count, and reports whether p has a count left (it loses one, and is
// passed over) or none (the victim).
func (c *clock) visit(p Page) (passed bool) {
	if c.accessed != nil && c.accessed(p) {
		c.Touch(p)
	}
	if c.count[p] > 0 {
		c.count[p]--
		return true
	}
	return false
}

func (c *clock) Touch(p Page) {
	if n, ok := c.count[p]; ok {
		c.count[p] = min(n+1, c.bits)
	}
}

func (c *clock) Insert(p Page) {
	c.count[p] = 0
	if c.o != nil {
		c.o.pushBack(p)
		return
	}
	i := -1
	for len(c.holes) > 0 && i < 0 {
		i = c.holes[len(c.holes)-1]
		c.holes = c.holes[:len(c.holes)-1]
		if c.used[i] {
			i = -1 // taken since by freeSlot
		}
	}
	if i < 0 {
		i = c.freeSlot()
	}
	c.ring[i], c.used[i], c.slot[p] = p, true, i
}

// freeSlot returns an empty slot of the ring, growing it when it is full.
func (c *clock) freeSlot() int {
	for i, u := range c.used {
		if !u {
			return i
		}
	}
	c.ring = append(c.ring, Page{})
	c.used = append(c.used, false)
	return len(c.ring) - 1
}

func (c *clock) Remove(p Page) {
	if _, ok := c.count[p]; !ok {
		return
	}
	delete(c.count, p)
	if c.o != nil {
		c.o.remove(p)
		return
	}
	c.used[c.slot[p]] = false
	delete(c.slot, p)
}

func (c *clock) Victim() (Page, bool) {
	if len(c.count) == 0 {
		return Page{}, false
	}
	if c.o != nil {
		return c.randomHand(), true
	}
	for {
		i := c.hand
		c.hand = (c.hand + 1) % len(c.ring)
		if !c.used[i] {
			continue
		}
		p := c.ring[i]
		if c.visit(p) {
			continue
		}
		c.Remove(p)
		c.holes = append(c.holes, i)
		return p, true
	}
}

// randomHand is paging-policy.py's CLOCK: pick memory[int(random() × n)]
// until one has a zero count.
func (c *clock) randomHand() Page {
	n := c.o.len()
	for {
		p := c.o.index(int(c.r.Random() * float64(n)))
		if c.visit(p) {
			continue
		}
		c.Remove(p)
		return p
	}
}

func (c *clock) Resident() []Page {
	if c.o != nil {
		return c.o.pages()
	}
	var out []Page
	for i, p := range c.ring {
		if c.used[i] {
			out = append(out, p)
		}
	}
	return out
}
