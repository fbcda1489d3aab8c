package sched

// lottery draws a winning ticket among the queued tasks' Tickets at each
// Pick: a task holding t of T tickets runs next with probability t/T. The
// queue is kept in ID order and the draw comes from the policy's own PRNG
// seeded by Params.Seed, so a seed replays the same schedule, or from
// Params.Draw when set. Slices are QuantumTicks long, as in rr.
type lottery struct {
	q       queue
	total   int64 // tickets held by queued entities
	quantum int
	rng     splitmix64
	draw    TicketDrawer // nil: draw from rng
}

// TicketDrawer draws lottery's winning tickets (see Params.Draw).
type TicketDrawer interface {
	// DrawTicket returns the winning ticket, in [0, total), for total > 0.
	// Pick calls it once per decision, tickets numbered in ID order.
	DrawTicket(total int64) int64
}

func newLottery(p Params) Policy {
	return &lottery{quantum: p.QuantumTicks, rng: splitmix64{p.Seed}, draw: p.Draw}
}

func (p *lottery) Name() string               { return "lottery" }
func (p *lottery) Len() int                   { return p.q.n }
func (p *lottery) Preempts(_, _ *Entity) bool { return false }

func (p *lottery) Add(e *Entity, _ Why) {
	e.heldTickets = tickets(e)
	p.q.insertSorted(e, byID)
	p.total += e.heldTickets
}

func (p *lottery) Remove(e *Entity) {
	p.q.remove(e)
	p.total -= e.heldTickets
}

// Pick walks the queue in ID order, summing tickets, until the sum passes
// the winning ticket.
func (p *lottery) Pick() *Entity {
	if p.q.n == 0 {
		return nil
	}
	winner := p.winningTicket()
	var sum int64
	for e := p.q.head; e != nil; e = e.next {
		if sum += e.heldTickets; sum > winner {
			p.Remove(e)
			e.QuantumLeft = p.quantum
			return e
		}
	}
	panic("sched: lottery: winning ticket past the queue") // unreachable
}

// winningTicket draws a ticket in [0, total).
func (p *lottery) winningTicket() int64 {
	if p.draw == nil {
		return int64(p.rng.below(uint64(p.total)))
	}
	w := p.draw.DrawTicket(p.total)
	if w < 0 || w >= p.total {
		panic("sched: lottery: TicketDrawer drew a ticket out of range")
	}
	return w
}

func (p *lottery) Tick(cur *Entity) bool {
	if cur == nil {
		return false
	}
	cur.QuantumLeft--
	return cur.QuantumLeft <= 0 && p.q.n > 0
}

// splitmix64 is Steele, Lea and Flood's SplitMix64 generator: one word of
// state, every seed valid, and good enough to draw lottery tickets.
type splitmix64 struct{ s uint64 }

func (r *splitmix64) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// below returns a uniform integer in [0, n) for n > 0, rejecting the few
// values that would bias v % n.
func (r *splitmix64) below(n uint64) uint64 {
	lim := -n % n // 2^64 mod n
	for {
		if v := r.next(); v >= lim {
			return v % n
		}
	}
}
