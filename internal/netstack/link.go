package netstack

import (
	"sync"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
)

// maxQueuedFrames bounds a link's outbound queue; a stack that writes more
// between two drains loses the excess as a full NIC queue would (counted in
// Stats.LinkDrops).
const maxQueuedFrames = 1 << 16

// queueLink is a stack.LinkEndpoint that only queues what the stack sends:
// it delivers nothing by itself and starts no goroutine. The host takes the
// frames with drain and hands inbound ones to inject, each at a virtual time
// of its choosing. The Ethernet NIC wraps one in link/ethernet (so its frames
// carry Ethernet headers); the loopback NIC uses one bare, with
// CapabilityLoopback, and the Stack re-injects its packets itself.
type queueLink struct {
	caps     stack.LinkEndpointCapabilities
	linkAddr tcpip.LinkAddress

	mu sync.Mutex
	// mtu is the largest packet the layer above may send, in bytes.
	mtu        uint32
	dispatcher stack.NetworkDispatcher
	// frames holds the outbound frames, oldest first, as copies.
	frames [][]byte
	// drops counts frames refused because frames was full.
	drops uint64
}

var _ stack.LinkEndpoint = (*queueLink)(nil)

func newQueueLink(mtu uint32, addr tcpip.LinkAddress, caps stack.LinkEndpointCapabilities) *queueLink {
	return &queueLink{mtu: mtu, linkAddr: addr, caps: caps}
}

// drain returns the queued frames, oldest first, and empties the queue.
func (l *queueLink) drain() [][]byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.frames
	l.frames = nil
	return f
}

// queued returns how many frames wait in the queue.
func (l *queueLink) queued() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.frames)
}

// inject delivers one inbound frame (a copy of it) to the attached stack.
func (l *queueLink) inject(frame []byte) {
	l.mu.Lock()
	d := l.dispatcher
	l.mu.Unlock()
	if d == nil {
		return
	}
	pkt := stack.NewPacketBuffer(stack.PacketBufferOptions{
		Payload: buffer.MakeWithData(append([]byte(nil), frame...)),
	})
	defer pkt.DecRef()
	// The protocol number is ignored by link/ethernet, which reads the
	// Ethernet type; the loopback NIC needs it from the IP version.
	d.DeliverNetworkPacket(ipProtocol(frame), pkt)
}

// ipProtocol returns the network protocol of a raw IP packet by its version.
func ipProtocol(p []byte) tcpip.NetworkProtocolNumber {
	if len(p) > 0 && p[0]>>4 == 6 {
		return header.IPv6ProtocolNumber
	}
	return header.IPv4ProtocolNumber
}

// WritePackets implements stack.LinkWriter: it copies each packet to the
// queue.
func (l *queueLink) WritePackets(pkts stack.PacketBufferList) (int, tcpip.Error) {
	n := 0
	for _, pkt := range pkts.AsSlice() {
		v := pkt.ToView()
		frame := append([]byte(nil), v.AsSlice()...)
		v.Release()
		l.mu.Lock()
		if len(l.frames) >= maxQueuedFrames {
			l.drops++
			l.mu.Unlock()
			break
		}
		l.frames = append(l.frames, frame)
		l.mu.Unlock()
		n++
	}
	if n == 0 && pkts.Len() > 0 {
		return 0, &tcpip.ErrNoBufferSpace{}
	}
	return n, nil
}

// MTU implements stack.NetworkLinkEndpoint.
func (l *queueLink) MTU() uint32 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.mtu
}

// SetMTU implements stack.NetworkLinkEndpoint.
func (l *queueLink) SetMTU(mtu uint32) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.mtu = mtu
}

// MaxHeaderLength implements stack.NetworkLinkEndpoint: no header of its own.
func (*queueLink) MaxHeaderLength() uint16 { return 0 }

// LinkAddress implements stack.NetworkLinkEndpoint.
func (l *queueLink) LinkAddress() tcpip.LinkAddress {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.linkAddr
}

// SetLinkAddress implements stack.NetworkLinkEndpoint.
func (l *queueLink) SetLinkAddress(addr tcpip.LinkAddress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.linkAddr = addr
}

// Capabilities implements stack.NetworkLinkEndpoint.
func (l *queueLink) Capabilities() stack.LinkEndpointCapabilities { return l.caps }

// Attach implements stack.NetworkLinkEndpoint.
func (l *queueLink) Attach(d stack.NetworkDispatcher) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dispatcher = d
}

// IsAttached implements stack.NetworkLinkEndpoint.
func (l *queueLink) IsAttached() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dispatcher != nil
}

// Wait implements stack.NetworkLinkEndpoint: there is no worker to wait for.
func (*queueLink) Wait() {}

// ARPHardwareType implements stack.NetworkLinkEndpoint.
func (l *queueLink) ARPHardwareType() header.ARPHardwareType {
	if l.caps&stack.CapabilityLoopback != 0 {
		return header.ARPHardwareLoopback
	}
	return header.ARPHardwareNone
}

// AddHeader implements stack.NetworkLinkEndpoint: no header of its own.
func (*queueLink) AddHeader(*stack.PacketBuffer) {}

// ParseHeader implements stack.NetworkLinkEndpoint: no header of its own.
func (*queueLink) ParseHeader(*stack.PacketBuffer) bool { return true }

// Close implements stack.NetworkLinkEndpoint: it drops the queued frames.
func (l *queueLink) Close() { l.drain() }

// SetOnCloseAction implements stack.NetworkLinkEndpoint.
func (*queueLink) SetOnCloseAction(func()) {}

// linkDrops returns how many frames the queue refused.
func (l *queueLink) linkDrops() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.drops
}

// pop removes and returns the oldest queued frame, or nil.
func (l *queueLink) pop() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.frames) == 0 {
		return nil
	}
	f := l.frames[0]
	l.frames[0] = nil
	l.frames = l.frames[1:]
	return f
}
