package netstack

import (
	"net/netip"
	"slices"
	"sync/atomic"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/transport/icmp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
	"gvisor.dev/gvisor/pkg/waiter"
)

// Sock is a socket's handle in one Stack: 1, 2, 3... in creation order,
// never reused.
type Sock uint32

// Family is a socket's address family, by IP version.
type Family uint8

// The address families.
const (
	IPv4 Family = 4
	IPv6 Family = 6
)

// Proto is a socket's transport protocol, by its IP protocol number.
type Proto uint8

// The transport protocols. ICMP is an unprivileged echo ("ping") socket:
// Send writes an echo request (the stack fills in the identifier), Recv
// reads echo replies.
const (
	ICMP Proto = 1
	TCP  Proto = 6
	UDP  Proto = 17
)

// String returns "tcp", "udp" or "icmp".
func (p Proto) String() string {
	switch p {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	case ICMP:
		return "icmp"
	}
	return "proto?"
}

// socket is one open socket. events is written by the waiter callback on
// the stack's goroutines, read by the caller after the barrier.
type socket struct {
	id     Sock
	family Family
	proto  Proto
	ep     tcpip.Endpoint
	wq     *waiter.Queue
	entry  waiter.Entry
	// events accumulates the waiter events seen since Changed last read them.
	events atomic.Uint64
}

// Socket opens a socket of family and proto. Unknown combinations are
// EAFNOSUPPORT (family, or IPv6 on a stack without) or EPROTONOSUPPORT.
func (s *Stack) Socket(family Family, proto Proto) (Sock, Errno) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.barrierLocked()
	netProto := header.IPv4ProtocolNumber
	switch {
	case family == IPv6 && s.cfg.hasIPv6():
		netProto = header.IPv6ProtocolNumber
	case family != IPv4:
		return 0, EAFNOSUPPORT
	}
	var trans tcpip.TransportProtocolNumber
	switch proto {
	case TCP:
		trans = tcp.ProtocolNumber
	case UDP:
		trans = udp.ProtocolNumber
	case ICMP:
		trans = icmp.ProtocolNumber4
		if family == IPv6 {
			trans = icmp.ProtocolNumber6
		}
	default:
		return 0, EPROTONOSUPPORT
	}
	wq := &waiter.Queue{}
	ep, err := s.st.NewEndpoint(trans, netProto, wq)
	if err != nil {
		return 0, errnoOf(err)
	}
	return s.addSocketLocked(family, proto, ep, wq), OK
}

// addSocketLocked enters an endpoint in the socket table and registers its
// readiness callback.
func (s *Stack) addSocketLocked(family Family, proto Proto, ep tcpip.Endpoint, wq *waiter.Queue) Sock {
	so := &socket{id: s.nextSock, family: family, proto: proto, ep: ep, wq: wq}
	s.nextSock++
	so.entry = waiter.NewFunctionEntry(waiter.EventIn|waiter.EventOut|waiter.EventErr|waiter.EventHUp|waiter.EventRdHUp,
		func(m waiter.EventMask) { so.events.Or(uint64(m)) })
	wq.EventRegister(&so.entry)
	s.socks[so.id] = so
	return so.id
}

// lookupLocked returns the socket for h, or nil.
func (s *Stack) lookupLocked(h Sock) *socket { return s.socks[h] }

// fullAddr converts ap for a socket of family; v4 addresses on an IPv6
// socket become v4-mapped. ok is false for a v6 address on an IPv4 socket.
func fullAddr(family Family, ap netip.AddrPort) (tcpip.FullAddress, bool) {
	a := ap.Addr()
	switch {
	case family == IPv4 && a.IsValid() && !a.Unmap().Is4():
		return tcpip.FullAddress{}, false
	case family == IPv6 && a.Is4():
		a = netip.AddrFrom16(a.As16())
	}
	if family == IPv4 {
		a = a.Unmap()
	}
	return tcpip.FullAddress{Addr: addrOf(a), Port: ap.Port()}, true
}

// addrPortOf converts back.
func addrPortOf(fa tcpip.FullAddress) netip.AddrPort {
	return netip.AddrPortFrom(netipOf(fa.Addr), fa.Port)
}

// Bind gives the socket its local address; port 0 picks an ephemeral port
// and the unspecified address means every address.
func (s *Stack) Bind(h Sock, local netip.AddrPort) Errno {
	return s.withSock(h, func(so *socket) Errno {
		fa, ok := fullAddr(so.family, local)
		if !ok {
			return EAFNOSUPPORT
		}
		return errnoOf(so.ep.Bind(fa))
	})
}

// Listen makes a TCP socket accept connections, queueing up to backlog.
func (s *Stack) Listen(h Sock, backlog int) Errno {
	return s.withSock(h, func(so *socket) Errno {
		if so.proto != TCP {
			return EOPNOTSUPP
		}
		return errnoOf(so.ep.Listen(max(backlog, 1)))
	})
}

// Accept takes one established connection off a listening socket: its new
// handle and the peer's address. EAGAIN when none waits; EINVAL when the
// socket does not listen.
func (s *Stack) Accept(h Sock) (Sock, netip.AddrPort, Errno) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.barrierLocked()
	so := s.lookupLocked(h)
	if so == nil {
		return 0, netip.AddrPort{}, EBADF
	}
	if so.proto != TCP {
		return 0, netip.AddrPort{}, EOPNOTSUPP
	}
	var peer tcpip.FullAddress
	ep, wq, err := so.ep.Accept(&peer)
	if err != nil {
		return 0, netip.AddrPort{}, errnoOf(err)
	}
	return s.addSocketLocked(so.family, TCP, ep, wq), addrPortOf(peer), OK
}

// Connect starts a connection to remote. TCP answers EINPROGRESS: the
// outcome shows later as EventOut (connected) or EventErr/EventHUp, and
// SockError tells which error. UDP and ICMP only set the default peer.
func (s *Stack) Connect(h Sock, remote netip.AddrPort) Errno {
	return s.withSock(h, func(so *socket) Errno {
		fa, ok := fullAddr(so.family, remote)
		if !ok {
			return EAFNOSUPPORT
		}
		if !remote.Addr().IsValid() {
			return EINVAL
		}
		return errnoOf(so.ep.Connect(fa))
	})
}

// How says which directions Shutdown closes.
type How uint8

// The shutdown directions, as Linux's SHUT_RD, SHUT_WR, SHUT_RDWR.
const (
	ShutRd   How = 0
	ShutWr   How = 1
	ShutRdWr How = 2
)

// Shutdown closes one or both directions of a connection.
func (s *Stack) Shutdown(h Sock, how How) Errno {
	return s.withSock(h, func(so *socket) Errno {
		var f tcpip.ShutdownFlags
		switch how {
		case ShutRd:
			f = tcpip.ShutdownRead
		case ShutWr:
			f = tcpip.ShutdownWrite
		case ShutRdWr:
			f = tcpip.ShutdownRead | tcpip.ShutdownWrite
		default:
			return EINVAL
		}
		return errnoOf(so.ep.Shutdown(f))
	})
}

// Close closes the socket gracefully (a TCP connection sends its FIN after
// the queued data) and frees its handle.
func (s *Stack) Close(h Sock) Errno {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.barrierLocked()
	so := s.lookupLocked(h)
	if so == nil {
		return EBADF
	}
	s.dropLocked(so)
	so.ep.Close()
	if so.proto == TCP {
		s.pruneOrphansLocked()
		s.orphans = append(s.orphans, so)
	}
	return OK
}

// dropLocked removes a socket from the table and its callback from its queue.
func (s *Stack) dropLocked(so *socket) {
	so.wq.EventUnregister(&so.entry)
	delete(s.socks, so.id)
}

// Reset closes every socket abruptly, in handle order, then the closed
// connections still shutting down: connected TCP sockets send a reset, so
// their peers see ECONNRESET. It models the net server's crash; the stack
// itself stays usable.
func (s *Stack) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.barrierLocked()
	for _, h := range s.handlesLocked() {
		so := s.socks[h]
		s.dropLocked(so)
		so.ep.Abort()
		so.ep.Close()
		s.barrierLocked() // one socket's resets at a time
	}
	for _, so := range s.orphans {
		so.ep.Abort()
		s.barrierLocked()
	}
	s.orphans = nil
	s.probes.mu.Lock()
	s.probes.sendQ = nil
	s.probes.mu.Unlock()
}

// handlesLocked returns the open handles in order.
func (s *Stack) handlesLocked() []Sock {
	hs := make([]Sock, 0, len(s.socks))
	for h := range s.socks {
		hs = append(hs, h)
	}
	slices.Sort(hs)
	return hs
}

// withSock runs f on h's socket under the lock, then the barrier; EBADF
// for an unknown handle.
func (s *Stack) withSock(h Sock, f func(*socket) Errno) Errno {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.barrierLocked()
	so := s.lookupLocked(h)
	if so == nil {
		return EBADF
	}
	return f(so)
}
