package hw

import (
	"fmt"
	"math/rand/v2"
)

// Poster delivers f to kernel `to`, to run at virtual time at in that
// kernel's context, ordered with its other events. *kernel.Group satisfies
// it; Single adapts a lone kernel.
type Poster interface {
	Post(to int, at int64, f func(now int64))
}

// Scheduler runs f at virtual time at in its kernel's context:
// *kernel.Kernel's Schedule.
type Scheduler interface {
	Schedule(at int64, f func(now int64))
}

// Single is the Poster of one machine: every port is on kernel 0, which
// s schedules.
func Single(s Scheduler) Poster { return single{s} }

type single struct{ s Scheduler }

// Post schedules f on the one kernel; to is ignored.
func (o single) Post(_ int, at int64, f func(now int64)) { o.s.Schedule(at, f) }

// SwitchOptions configure a Switch.
type SwitchOptions struct {
	// Seed seeds the switch's generator: its losses, duplicates and
	// reorderings.
	Seed uint64
	// Link is every port's link unless SetLink overrides it.
	Link Link
	// Hairpin lets a frame go back out of the port it came in by (a
	// reflective relay): with it a card receives the frames it sends to
	// its own address, and its broadcasts — a loopback plug for a lone
	// machine.
	Hairpin bool
	// Pcap, when set, records every frame that enters the switch, at the
	// time its last bit left the sending card.
	Pcap *Pcap
}

// SwitchStats are the switch's counters. A frame that enters counts once
// in Frames; each copy it sends to a port counts once in Delivered or in
// one of the drop counters.
type SwitchStats struct {
	Frames      int64 // entered the switch
	Flooded     int64 // of those, sent to every port (group or unknown address)
	Delivered   int64 // copies handed to a card (a duplicate counts twice)
	Lost        int64 // dropped by the link's loss probability
	Burst       int64 // dropped in a loss burst
	Partitioned int64 // dropped between the two sides of a partition
	Faulted     int64 // dropped by a run-time fault (DropUntil)
	Overflowed  int64 // dropped by a full port queue (Link.SpeedBps)
	Duplicated  int64
	Reordered   int64
	MaxQueue    int64 // the longest port queue seen, in frames
}

// Switch joins the cards of one or more machines. It learns which port
// each source address is behind and sends a frame to that port; it floods
// group addresses and unknown ones to every other port. It is called from
// the sending card's Finish, in the sending kernel's context; in a group
// only one kernel runs at a time, so it needs no lock.
type Switch struct {
	post    Poster
	rng     *rand.Rand
	def     Link
	hairpin bool
	pcap    *Pcap

	ports     []*port
	macs      map[MAC]int // address -> port, learned; only looked up, never iterated
	dropUntil int64       // a run-time loss burst: frames before it are lost

	stats SwitchStats
}

// port is one attached card and its link.
type port struct {
	kernel int
	nic    *NIC
	link   *Link // nil: the switch's
	cut    bool  // on the cut-off side of a partition
	state  linkState
}

// NewSwitch returns a switch with no ports that delivers through p.
func NewSwitch(p Poster, o SwitchOptions) (*Switch, error) {
	if p == nil {
		return nil, fmt.Errorf("switch: no poster to deliver frames through")
	}
	if err := o.Link.Check(); err != nil {
		return nil, fmt.Errorf("switch: %w", err)
	}
	return &Switch{post: p, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x6d6b6f73)), def: o.Link,
		hairpin: o.Hairpin, pcap: o.Pcap, macs: map[MAC]int{}}, nil
}

// Attach plugs card n of machine `kernel` (its index in the group) into a
// new port and returns the port's number.
func (s *Switch) Attach(kernel int, n *NIC) (int, error) {
	if n.wire != nil {
		return 0, fmt.Errorf("switch: card %s is already attached", n.name)
	}
	for i, p := range s.ports {
		if p.nic.mac == n.mac {
			return 0, fmt.Errorf("switch: card %s has address %s, as port %d's card has", n.name, n.mac, i)
		}
	}
	s.ports = append(s.ports, &port{kernel: kernel, nic: n})
	n.wire, n.port = s, len(s.ports)-1
	return n.port, nil
}

// Ports returns the number of ports.
func (s *Switch) Ports() int { return len(s.ports) }

// Stats returns the counters.
func (s *Switch) Stats() SwitchStats { return s.stats }

// SetLink gives port i its own link: frames to the port, and frames from
// it to a port without one of its own, cross it instead of the switch's.
func (s *Switch) SetLink(i int, l Link) error {
	if i < 0 || i >= len(s.ports) {
		return fmt.Errorf("switch: no port %d", i)
	}
	if err := l.Check(); err != nil {
		return fmt.Errorf("switch port %d: %w", i, err)
	}
	s.ports[i].link = &l
	return nil
}

// SetPartition cuts the ports in cut off from the others: frames between
// the two sides are lost, frames within a side pass. It replaces any
// earlier partition.
func (s *Switch) SetPartition(cut ...int) error {
	for _, i := range cut {
		if i < 0 || i >= len(s.ports) {
			return fmt.Errorf("switch: no port %d", i)
		}
	}
	s.Heal()
	for _, i := range cut {
		s.ports[i].cut = true
	}
	return nil
}

// Heal ends the partition.
func (s *Switch) Heal() {
	for _, p := range s.ports {
		p.cut = false
	}
}

// DropUntil loses every frame that enters the switch before virtual time
// at: a loss burst ordered by a fault campaign.
func (s *Switch) DropUntil(at int64) { s.dropUntil = at }

// transmit takes a frame the card on port from put on the wire at now.
func (s *Switch) transmit(from int, now int64, frame []byte) {
	if s.pcap != nil {
		s.pcap.Record(now, frame)
	}
	s.stats.Frames++
	if src, ok := SrcOf(frame); ok && !src.IsGroup() {
		s.macs[src] = from
	}
	dst, _ := DstOf(frame)
	if to, ok := s.macs[dst]; ok && !dst.IsGroup() {
		if to != from || s.hairpin {
			s.forward(from, to, now, frame)
		}
		return
	}
	s.stats.Flooded++
	for to := range s.ports {
		if to != from || s.hairpin {
			s.forward(from, to, now, frame)
		}
	}
}

// forward sends a copy of frame from port from to port to across the
// link between them.
func (s *Switch) forward(from, to int, now int64, frame []byte) {
	src, dst := s.ports[from], s.ports[to]
	if src.cut != dst.cut {
		s.stats.Partitioned++
		return
	}
	if now < s.dropUntil {
		s.stats.Faulted++
		return
	}
	l := &s.def
	if dst.link != nil {
		l = dst.link
	} else if src.link != nil {
		l = src.link
	}
	f := l.decide(&dst.state, s.rng, now)
	switch f.drop {
	case dropLoss:
		s.stats.Lost++
		return
	case dropBurst:
		s.stats.Burst++
		return
	}
	leave, ok := l.enqueue(&dst.state, now, len(frame))
	if !ok {
		s.stats.Overflowed++
		return
	}
	s.stats.MaxQueue = max(s.stats.MaxQueue, int64(len(dst.state.queue)))
	f.atNs += leave - now
	if f.reordered {
		s.stats.Reordered++
	}
	if f.copies > 1 {
		s.stats.Duplicated++
	}
	nic := dst.nic
	for c := range f.copies {
		s.stats.Delivered++
		s.post.Post(dst.kernel, f.atNs+int64(c), func(now int64) { nic.deliver(now, frame) })
	}
}
