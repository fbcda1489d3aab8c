package netstack

import (
	"net/netip"
	"slices"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/waiter"
)

// Events is a set of readiness events, with Linux's poll bit values.
type Events uint32

// The readiness events.
const (
	EventIn    Events = 0x1  // data (or a connection, or the end of stream) to read
	EventOut   Events = 0x4  // room to write; a connect finished
	EventErr   Events = 0x8  // an error is pending (SockError reads it)
	EventHUp   Events = 0x10 // both directions are closed
	EventRdHUp Events = 0x2000
)

// eventsOf converts a waiter mask.
func eventsOf(m waiter.EventMask) Events { return Events(m.ToLinux()) }

// Ready returns the socket's readiness now (level-triggered); 0 for an
// unknown handle.
func (s *Stack) Ready(h Sock) Events {
	s.mu.Lock()
	defer s.mu.Unlock()
	so := s.lookupLocked(h)
	if so == nil {
		return 0
	}
	return eventsOf(so.ep.Readiness(waiter.EventIn | waiter.EventOut | waiter.EventErr | waiter.EventHUp | waiter.EventRdHUp))
}

// Changed returns, in handle order, the sockets whose waiter queue was
// notified since the last Changed, and forgets them: the sockets whose
// blocked callers the net server should retry.
func (s *Stack) Changed() []Sock {
	s.mu.Lock()
	defer s.mu.Unlock()
	var hs []Sock
	for h, so := range s.socks {
		if so.events.Swap(0) != 0 {
			hs = append(hs, h)
		}
	}
	slices.Sort(hs)
	return hs
}

// LocalAddr returns the socket's bound address (0.0.0.0:port or [::]:port
// when bound to every address).
func (s *Stack) LocalAddr(h Sock) (netip.AddrPort, Errno) {
	return s.addr(h, tcpip.Endpoint.GetLocalAddress)
}

// RemoteAddr returns the connected peer's address; ENOTCONN if none.
func (s *Stack) RemoteAddr(h Sock) (netip.AddrPort, Errno) {
	return s.addr(h, tcpip.Endpoint.GetRemoteAddress)
}

func (s *Stack) addr(h Sock, get func(tcpip.Endpoint) (tcpip.FullAddress, tcpip.Error)) (netip.AddrPort, Errno) {
	s.mu.Lock()
	defer s.mu.Unlock()
	so := s.lookupLocked(h)
	if so == nil {
		return netip.AddrPort{}, EBADF
	}
	fa, err := get(so.ep)
	if err != nil {
		return netip.AddrPort{}, errnoOf(err)
	}
	ap := addrPortOf(fa)
	if !ap.Addr().IsValid() {
		ap = netip.AddrPortFrom(unspecified(so.family), ap.Port())
	}
	return ap, OK
}

// Opt names a socket option.
type Opt uint8

// The socket options. Booleans read and write as 0 or 1.
const (
	SOError      Opt = iota + 1 // read-only: the pending error, cleared by reading
	SOType                      // read-only: 1 stream (TCP), 2 datagram (UDP, ICMP)
	SOAcceptConn                // read-only: 1 when listening
	SORcvBuf                    // receive buffer size in bytes
	SOSndBuf                    // send buffer size in bytes
	SOReuseAddr
	SOKeepAlive
	SOBroadcast
	TCPNoDelay
)

// SockError returns and clears the socket's pending error (SO_ERROR): after
// a non-blocking Connect, OK means connected.
func (s *Stack) SockError(h Sock) Errno {
	v, e := s.GetSockOpt(h, SOError)
	if e != OK {
		return e
	}
	return Errno(v)
}

// GetSockOpt reads option opt; ENOPROTOOPT for an option the socket lacks.
func (s *Stack) GetSockOpt(h Sock, opt Opt) (int, Errno) {
	v := 0
	e := s.withSock(h, func(so *socket) Errno {
		var err tcpip.Error
		v, err = getOpt(so, opt)
		return errnoOf(err)
	})
	return v, e
}

func getOpt(so *socket, opt Opt) (int, tcpip.Error) {
	o := so.ep.SocketOptions()
	switch opt {
	case SOError:
		return int(errnoOf(o.GetLastError())), nil
	case SOType:
		if so.proto == TCP {
			return 1, nil
		}
		return 2, nil
	case SOAcceptConn:
		return b2i(so.proto == TCP && so.ep.State() == uint32(tcp.StateListen)), nil
	case SORcvBuf:
		return int(o.GetReceiveBufferSize()), nil
	case SOSndBuf:
		return int(o.GetSendBufferSize()), nil
	case SOReuseAddr:
		return b2i(o.GetReuseAddress()), nil
	case SOKeepAlive:
		return b2i(o.GetKeepAlive()), nil
	case SOBroadcast:
		return b2i(o.GetBroadcast()), nil
	case TCPNoDelay:
		if so.proto != TCP {
			return 0, &tcpip.ErrUnknownProtocolOption{}
		}
		return b2i(!o.GetDelayOption()), nil
	}
	return 0, &tcpip.ErrUnknownProtocolOption{}
}

// SetSockOpt sets option opt to v; EINVAL for a read-only option or a
// negative size, ENOPROTOOPT for an option the socket lacks.
func (s *Stack) SetSockOpt(h Sock, opt Opt, v int) Errno {
	return s.withSock(h, func(so *socket) Errno {
		o := so.ep.SocketOptions()
		switch opt {
		case SORcvBuf, SOSndBuf:
			if v < 0 {
				return EINVAL
			}
			if opt == SORcvBuf {
				o.SetReceiveBufferSize(int64(v), true)
			} else {
				o.SetSendBufferSize(int64(v), true)
			}
		case SOReuseAddr:
			o.SetReuseAddress(v != 0)
		case SOKeepAlive:
			o.SetKeepAlive(v != 0)
		case SOBroadcast:
			o.SetBroadcast(v != 0)
		case TCPNoDelay:
			if so.proto != TCP {
				return ENOPROTOOPT
			}
			o.SetDelayOption(v == 0)
		case SOError, SOType, SOAcceptConn:
			return EINVAL
		default:
			return ENOPROTOOPT
		}
		return OK
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
