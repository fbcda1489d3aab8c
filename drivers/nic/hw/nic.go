package hw

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
)

// Defaults and limits of Options.
const (
	DefaultName     = "eth0"
	DefaultSpeedBps = 1_000_000_000 // 1 Gbit/s
	DefaultRxRing   = 256
	MaxRxRing       = 1 << 16
	// DefaultDMABytesPerSec is how fast the card moves received frames
	// into the driver's buffer (a PCIe link's order of magnitude).
	DefaultDMABytesPerSec = 4_000_000_000
)

// Options configure a NIC. Zero fields take the defaults.
type Options struct {
	// Name is the device name the driver looks it up by (DefaultName).
	Name string
	// MAC is the card's address; the zero address takes HostMAC(0, 0).
	MAC MAC
	// MTU is the largest payload of a frame, from 68 to MaxMTU
	// (DefaultMTU). A frame may be MTU+HeaderSize bytes long.
	MTU int
	// SpeedBps is the link speed in bits per second (DefaultSpeedBps).
	SpeedBps int64
	// RxRing is the number of frames the receive ring holds
	// (DefaultRxRing); a frame that arrives at a full ring is dropped.
	RxRing int
	// DMABytesPerSec is the speed of a receive operation's copy
	// (DefaultDMABytesPerSec).
	DMABytesPerSec int64
	// Promiscuous makes the card keep frames addressed to others, which
	// it otherwise drops (the switch floods unknown addresses).
	Promiscuous bool
	// Down starts the link down (SetLink brings it up).
	Down bool
}

// Stats are the card's counters.
type Stats struct {
	TxFrames, TxBytes int64 // put on the wire
	TxErrors          int64 // refused (too big, link down) or lost under a link going down
	RxFrames, RxBytes int64 // taken into the ring
	RxDropped         int64 // arrived at a full ring or a link that was down
	RxFiltered        int64 // addressed to another card (not promiscuous)
	RxRead            int64 // frames the driver read out of the ring
	Interrupts        int64 // receive interrupts raised
}

// NIC is the simulated network card. Its transmitter serves one operation
// at a time; its receive ring is filled by the switch. It is called by the
// kernel (Start, Finish, and the switch's deliveries, all in the same
// kernel's context) and never concurrently.
type NIC struct {
	name     string
	mac      MAC
	mtu      int
	speedBps int64
	dmaBps   int64
	promisc  bool

	// OnReceive raises the card's receive interrupt at virtual time now;
	// boot sets it to the kernel's Interrupt for this device. Nil raises
	// nothing (the driver finds the frames when it next looks).
	OnReceive func(now int64)

	// The wire: set when a switch attaches the card.
	wire *Switch
	port int

	// The link, the operation in flight, the receive ring.
	up      bool
	busy    bool
	op      ipc.DevRequest // the operation in flight, as Start checked it
	rxTake  int            // frames the receive in flight takes
	ring    [][]byte
	ringCap int

	stats Stats
}

// New returns a card as o says, its link up and nothing attached.
func New(o Options) (*NIC, error) {
	o = o.withDefaults()
	if err := o.check(); err != nil {
		return nil, err
	}
	return &NIC{name: o.Name, mac: o.MAC, mtu: o.MTU, speedBps: o.SpeedBps, dmaBps: o.DMABytesPerSec,
		promisc: o.Promiscuous, up: !o.Down, ringCap: o.RxRing, port: -1}, nil
}

func (o Options) withDefaults() Options {
	if o.Name == "" {
		o.Name = DefaultName
	}
	if o.MAC == (MAC{}) {
		o.MAC = HostMAC(0, 0)
	}
	if o.MTU == 0 {
		o.MTU = DefaultMTU
	}
	if o.SpeedBps == 0 {
		o.SpeedBps = DefaultSpeedBps
	}
	if o.RxRing == 0 {
		o.RxRing = DefaultRxRing
	}
	if o.DMABytesPerSec == 0 {
		o.DMABytesPerSec = DefaultDMABytesPerSec
	}
	return o
}

func (o Options) check() error {
	switch {
	case o.MTU < 68 || o.MTU > MaxMTU:
		return fmt.Errorf("nic %s: MTU %d is not from 68 to %d", o.Name, o.MTU, MaxMTU)
	case o.SpeedBps < 1000:
		return fmt.Errorf("nic %s: speed %d bit/s is below 1000", o.Name, o.SpeedBps)
	case o.RxRing < 1 || o.RxRing > MaxRxRing:
		return fmt.Errorf("nic %s: receive ring of %d frames is not from 1 to %d", o.Name, o.RxRing, MaxRxRing)
	case o.DMABytesPerSec < 1:
		return fmt.Errorf("nic %s: DMA speed %d bytes/s is not positive", o.Name, o.DMABytesPerSec)
	case o.MAC.IsGroup():
		return fmt.Errorf("nic %s: MAC %s is a group address", o.Name, o.MAC)
	}
	return nil
}

// Name is the device name.
func (n *NIC) Name() string { return n.name }

// MAC is the card's address.
func (n *NIC) MAC() MAC { return n.mac }

// MTU is the largest payload of a frame.
func (n *NIC) MTU() int { return n.mtu }

// MaxFrame is the longest frame the card sends or keeps: MTU+HeaderSize.
func (n *NIC) MaxFrame() int { return n.mtu + HeaderSize }

// SpeedBps is the link speed in bits per second.
func (n *NIC) SpeedBps() int64 { return n.speedBps }

// Up reports whether the link is up.
func (n *NIC) Up() bool { return n.up }

// SetLink brings the link up or down (a cable pulled, a port disabled).
// While it is down, sends fail with ENETDOWN and arriving frames are
// dropped; a frame being serialized when it goes down is lost.
func (n *NIC) SetLink(up bool) { n.up = up }

// Stats returns the counters.
func (n *NIC) Stats() Stats { return n.stats }

// Pending is the number of frames waiting in the receive ring.
func (n *NIC) Pending() int { return len(n.ring) }

// Port is the switch port the card is attached to, -1 for none.
func (n *NIC) Port() int { return n.port }

// deliver takes a frame off the wire at virtual time now, in the card's
// kernel's context: into the ring, and the receive interrupt, unless the
// link is down, the ring full, or the frame for another card.
func (n *NIC) deliver(now int64, frame []byte) {
	dst, ok := DstOf(frame)
	switch {
	case !n.up || len(n.ring) >= n.ringCap || !ok || len(frame) > n.MaxFrame():
		n.stats.RxDropped++
		return
	case dst != n.mac && !dst.IsGroup() && !n.promisc:
		n.stats.RxFiltered++
		return
	}
	n.ring = append(n.ring, frame)
	n.stats.RxFrames++
	n.stats.RxBytes += int64(len(frame))
	n.stats.Interrupts++
	if n.OnReceive != nil {
		n.OnReceive(now)
	}
}
