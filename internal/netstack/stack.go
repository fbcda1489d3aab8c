package netstack

import (
	"fmt"
	"net/netip"
	"sync"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/link/ethernet"
	"gvisor.dev/gvisor/pkg/tcpip/network/arp"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv6"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/icmp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
)

// The NIC ids inside the gVisor stack.
const (
	nicEth tcpip.NICID = 1
	nicLo  tcpip.NICID = 2
)

// maxSettleSteps bounds how many loopback packets and due timers one
// barrier handles; the rest wait for the next call (NextTimer reports them
// as due now).
const maxSettleSteps = 1 << 16

// Stack is one machine's TCP/IP stack (gVisor's netstack) made
// deterministic: a virtual clock, a seeded RNG, links that only queue, and
// a barrier after every call that touches it. Its methods are safe for
// concurrent use but meant for one caller, the net server's task.
type Stack struct {
	// mu serializes the public methods, so each event is followed by its
	// barrier before the next event starts.
	mu    sync.Mutex
	st    *stack.Stack
	clock *Clock
	eth   *queueLink // inner link of the Ethernet NIC
	lo    *queueLink // nil without Config.Loopback
	cfg   Config

	// socks are the open sockets by handle; nextSock is the next handle.
	socks    map[Sock]*socket
	nextSock Sock
	// orphans are closed TCP sockets, kept for netstat until their
	// connection reaches CLOSED (FIN_WAIT, TIME_WAIT, LAST_ACK...).
	orphans []*socket
	// probes receives TCP's per-segment state (Send-Q, the probe log).
	probes prober
	// pauses counts Pause/Resume pairs, the barrier's cost unit (Stats).
	pauses uint64
	// rxDrops counts inbound frames Inject refused (Stats).
	rxDrops uint64
}

// New builds the stack for cfg at virtual time 0.
func New(cfg Config) (*Stack, error) {
	mac, mtu, err := cfg.check()
	if err != nil {
		return nil, err
	}
	s := &Stack{
		clock:    NewClock(0),
		cfg:      cfg,
		socks:    map[Sock]*socket{},
		nextSock: 1,
	}
	nets := []stack.NetworkProtocolFactory{ipv4.NewProtocol, arp.NewProtocol}
	trans := []stack.TransportProtocolFactory{tcp.NewProtocolProbe(s.probes.probe), udp.NewProtocol, icmp.NewProtocol4}
	if cfg.hasIPv6() {
		nets = append(nets, ipv6.NewProtocol)
		trans = append(trans, icmp.NewProtocol6)
	}
	s.st = stack.New(stack.Options{
		NetworkProtocols:   nets,
		TransportProtocols: trans,
		Clock:              s.clock,
		SecureRNG:          NewSecureRNG(cfg.Seed),
	})
	s.clock.afterEach = s.barrierLocked
	if err := s.configure(mac, mtu); err != nil {
		s.st.Close()
		return nil, err
	}
	s.barrierLocked()
	return s, nil
}

// configure creates the NICs, addresses, routes and TCP options.
func (s *Stack) configure(mac []byte, mtu int) error {
	cfg := s.cfg
	s.eth = newQueueLink(uint32(mtu+header.EthernetMinimumSize), tcpip.LinkAddress(mac), 0)
	if err := s.st.CreateNIC(nicEth, ethernet.New(s.eth)); err != nil {
		return fmt.Errorf("netstack: NIC: %s", err)
	}
	var routes []tcpip.Route
	for _, r := range cfg.Routes {
		routes = append(routes, tcpip.Route{Destination: subnetOf(r.Dest), Gateway: addrOf(r.Gateway), NIC: nicEth})
	}
	for _, p := range cfg.Addrs {
		if err := s.addAddr(nicEth, p); err != nil {
			return err
		}
		routes = append(routes, tcpip.Route{Destination: subnetOf(p.Masked()), NIC: nicEth})
	}
	if cfg.Loopback {
		s.lo = newQueueLink(65536, "", stack.CapabilityLoopback|stack.CapabilityRXChecksumOffload)
		if err := s.st.CreateNIC(nicLo, s.lo); err != nil {
			return fmt.Errorf("netstack: loopback NIC: %s", err)
		}
		lo := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/8")}
		if cfg.hasIPv6() {
			lo = append(lo, netip.MustParsePrefix("::1/128"))
		}
		for _, p := range lo {
			if err := s.addAddr(nicLo, p); err != nil {
				return err
			}
			routes = append([]tcpip.Route{{Destination: subnetOf(p.Masked()), NIC: nicLo}}, routes...)
		}
		// As Linux's local table: the NIC's own addresses are reached
		// through the loopback NIC too, so talking to oneself is queued
		// and delivered by the barrier like 127.0.0.1 traffic.
		for _, p := range cfg.Addrs {
			self := netip.PrefixFrom(p.Addr(), p.Addr().BitLen())
			if err := s.addAddr(nicLo, self); err != nil {
				return err
			}
			a := addrOf(p.Addr())
			routes = append([]tcpip.Route{{Destination: subnetOf(self), NIC: nicLo, SourceHint: a}}, routes...)
		}
	}
	if cfg.Gateway.IsValid() {
		routes = append(routes, tcpip.Route{Destination: header.IPv4EmptySubnet, Gateway: addrOf(cfg.Gateway), NIC: nicEth})
	}
	s.st.SetRouteTable(routes)
	return s.tcpOptions()
}

// addAddr gives NIC nic the address p.
func (s *Stack) addAddr(nic tcpip.NICID, p netip.Prefix) error {
	proto := header.IPv4ProtocolNumber
	if !p.Addr().Is4() {
		proto = header.IPv6ProtocolNumber
	}
	pa := tcpip.ProtocolAddress{
		Protocol:          proto,
		AddressWithPrefix: tcpip.AddressWithPrefix{Address: addrOf(p.Addr()), PrefixLen: p.Bits()},
	}
	if err := s.st.AddProtocolAddress(nic, pa, stack.AddressProperties{}); err != nil {
		return fmt.Errorf("netstack: address %v: %s", p, err)
	}
	return nil
}

// tcpOptions turns on SACK (as Linux does) and picks the congestion control.
func (s *Stack) tcpOptions() error {
	sack := tcpip.TCPSACKEnabled(true)
	if err := s.st.SetTransportProtocolOption(tcp.ProtocolNumber, &sack); err != nil {
		return fmt.Errorf("netstack: SACK: %s", err)
	}
	if s.cfg.Congestion != "" {
		cc := tcpip.CongestionControlOption(s.cfg.Congestion)
		if err := s.st.SetTransportProtocolOption(tcp.ProtocolNumber, &cc); err != nil {
			return fmt.Errorf("netstack: congestion control %q: %s", s.cfg.Congestion, err)
		}
	}
	return nil
}

// barrierLocked waits until the stack's TCP goroutines have processed
// everything queued to them (Pause returns when every processor is idle),
// then delivers the loopback NIC's packets and runs the timers due now
// (zero-delay jobs such as ARP requests), one at a time, each followed by
// the same wait, until none is left. After it, frames and socket state can
// be read and equal those of any other run of the same events.
func (s *Stack) barrierLocked() {
	for range maxSettleSteps {
		s.st.Pause()
		s.st.Resume()
		s.pauses++
		if s.lo != nil {
			if p := s.lo.pop(); p != nil {
				s.lo.inject(p)
				continue
			}
		}
		f := s.clock.popDue(s.clock.NowNanoseconds())
		if f == nil {
			return
		}
		f()
	}
}

// Now returns the stack's virtual time in nanoseconds.
func (s *Stack) Now() int64 { return s.clock.NowNanoseconds() }

// NextTimer returns when the stack next needs Advance: its earliest timer,
// or now when loopback packets wait. ok is false when nothing is pending.
func (s *Stack) NextTimer() (atNs int64, ok bool) {
	if s.lo != nil && s.lo.queued() > 0 {
		return s.clock.NowNanoseconds(), true
	}
	return s.clock.NextTimer()
}

// Advance moves the virtual time to nowNs, running every timer due by then
// in order, each followed by the barrier. An earlier nowNs runs what is due
// at the current time and leaves the time as it is. When nothing is due it
// costs no barrier: the last call's barrier left the stack idle, and nothing
// but a call or a timer wakes it.
func (s *Stack) Advance(nowNs int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ran := s.clock.Fire(max(nowNs, s.clock.NowNanoseconds()))
	if ran > 0 || (s.lo != nil && s.lo.queued() > 0) {
		s.barrierLocked()
	}
}

// Drain returns the Ethernet frames the stack sent since the last Drain,
// oldest first, each a fresh copy with its 14-byte Ethernet header.
func (s *Stack) Drain() [][]byte {
	return s.eth.drain()
}

// Inject delivers one inbound Ethernet frame to the stack at the current
// virtual time (the caller advances the time first). Frames too short for
// an Ethernet header or longer than the MTU allows are dropped, as a NIC
// would (Stats.RxDrops); so are frames for another MAC.
func (s *Stack) Inject(frame []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(frame) < header.EthernetMinimumSize || len(frame) > int(s.eth.MTU()) {
		s.rxDrops++
		return
	}
	s.eth.inject(frame)
	s.barrierLocked()
}

// MAC returns the Ethernet NIC's address.
func (s *Stack) MAC() string { return s.cfg.MAC }

// Destroy closes every socket abruptly and stops the stack's goroutines.
// The Stack must not be used after.
func (s *Stack) Destroy() {
	s.Reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.Close()
	s.st.Wait()
}

// addrOf converts an address; the unspecified or zero address is the empty
// tcpip.Address, which netstack reads as "any".
func addrOf(a netip.Addr) tcpip.Address {
	if !a.IsValid() || a.IsUnspecified() {
		return tcpip.Address{}
	}
	return tcpip.AddrFromSlice(a.Unmap().AsSlice())
}

// netipOf converts back; the empty address is the invalid netip.Addr.
func netipOf(a tcpip.Address) netip.Addr {
	ip, _ := netip.AddrFromSlice(a.AsSlice())
	return ip
}

// subnetOf converts a masked prefix.
func subnetOf(p netip.Prefix) tcpip.Subnet {
	a := p.Masked().Addr()
	return tcpip.AddressWithPrefix{Address: tcpip.AddrFromSlice(a.AsSlice()), PrefixLen: p.Bits()}.Subnet()
}
