package netstack

import (
	"fmt"
	"net/netip"
	"strings"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
)

// SockInfo is one line of netstat: a socket's protocol, state, addresses
// and queues.
type SockInfo struct {
	Sock   Sock
	Proto  Proto
	Family Family
	// State is the TCP state as netstat prints it ("LISTEN", "ESTABLISHED",
	// "SYN_SENT", "TIME_WAIT"...); "" for UDP and ICMP.
	State  string
	Local  netip.AddrPort
	Remote netip.AddrPort // invalid when not connected
	// RecvQ is the bytes waiting to be read by the program. SendQ is the
	// bytes not yet acknowledged by the peer (for TCP, as of the last
	// segment received).
	RecvQ, SendQ int
}

// String formats the line as netstat does: proto, queues, addresses, state.
func (i SockInfo) String() string {
	remote := "*:*"
	if i.Remote.Addr().IsValid() {
		remote = i.Remote.String()
	}
	return strings.TrimRight(fmt.Sprintf("%-4s %6d %6d %-21s %-21s %s",
		i.Proto, i.RecvQ, i.SendQ, i.Local, remote, i.State), " ")
}

// Netstat returns every open socket, in handle order, then the closed TCP
// connections still shutting down (Sock 0, oldest first), as netstat shows
// TIME_WAIT.
func (s *Stack) Netstat() []SockInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SockInfo
	for _, h := range s.handlesLocked() {
		out = append(out, infoOf(s.socks[h], &s.probes))
	}
	s.pruneOrphansLocked()
	for _, so := range s.orphans {
		i := infoOf(so, &s.probes)
		i.Sock = 0
		out = append(out, i)
	}
	return out
}

// pruneOrphansLocked forgets the closed connections that reached CLOSED.
func (s *Stack) pruneOrphansLocked() {
	live := s.orphans[:0]
	for _, so := range s.orphans {
		switch tcp.EndpointState(so.ep.State()) {
		case tcp.StateInitial, tcp.StateBound, tcp.StateClose, tcp.StateError, tcp.StateListen:
		default: // still talking to its peer
			live = append(live, so)
			continue
		}
		i := infoOf(so, &s.probes)
		s.probes.forget(i.Local, i.Remote)
	}
	clear(s.orphans[len(live):])
	s.orphans = live
}

func infoOf(so *socket, p *prober) SockInfo {
	i := SockInfo{Sock: so.id, Proto: so.proto, Family: so.family}
	if fa, err := so.ep.GetLocalAddress(); err == nil {
		i.Local = addrPortOf(fa)
	}
	if fa, err := so.ep.GetRemoteAddress(); err == nil {
		i.Remote = addrPortOf(fa)
	}
	if !i.Local.Addr().IsValid() {
		i.Local = netip.AddrPortFrom(unspecified(so.family), i.Local.Port())
	}
	if n, err := so.ep.GetSockOptInt(tcpip.ReceiveQueueSizeOption); err == nil {
		i.RecvQ = n
	}
	if n, err := so.ep.GetSockOptInt(tcpip.SendQueueSizeOption); err == nil {
		i.SendQ = n
	}
	if so.proto == TCP {
		i.State = stateName(tcp.EndpointState(so.ep.State()))
		if i.Remote.IsValid() {
			i.SendQ = p.sendQueue(i.Local, i.Remote)
		}
	}
	return i
}

// unspecified returns the family's "any" address.
func unspecified(f Family) netip.Addr {
	if f == IPv6 {
		return netip.IPv6Unspecified()
	}
	return netip.IPv4Unspecified()
}

// stateName spells a TCP state as netstat does.
func stateName(st tcp.EndpointState) string {
	switch st {
	case tcp.StateInitial, tcp.StateBound, tcp.StateClose, tcp.StateError:
		return "CLOSE"
	case tcp.StateSynRecv:
		return "SYN_RECV"
	}
	return strings.ReplaceAll(strings.ReplaceAll(st.String(), "-", "_"), "WAIT1", "WAIT_1")
}

// TCPInfo is a connection's congestion state, as Linux's TCP_INFO.
type TCPInfo struct {
	State string
	// RTTNs, RTTVarNs and RTONs are the smoothed round-trip time, its
	// variation and the retransmission timeout.
	RTTNs, RTTVarNs, RTONs int64
	// CwndSegs and SsthreshSegs are the congestion window and slow-start
	// threshold in segments.
	CwndSegs, SsthreshSegs uint32
	// CcState is the congestion-control state: "open", "disorder",
	// "recovery" or "loss".
	CcState string
}

// TCPInfo returns a TCP socket's congestion state; EOPNOTSUPP otherwise.
func (s *Stack) TCPInfo(h Sock) (TCPInfo, Errno) {
	var info TCPInfo
	e := s.withSock(h, func(so *socket) Errno {
		if so.proto != TCP {
			return EOPNOTSUPP
		}
		var o tcpip.TCPInfoOption
		if err := so.ep.GetSockOpt(&o); err != nil {
			return errnoOf(err)
		}
		info = TCPInfo{
			State:        stateName(tcp.EndpointState(o.State)),
			RTTNs:        int64(o.RTT),
			RTTVarNs:     int64(o.RTTVar),
			RTONs:        int64(o.RTO),
			CwndSegs:     o.SndCwnd,
			SsthreshSegs: o.SndSsthresh,
			CcState:      ccName(o.CcState),
		}
		return OK
	})
	return info, e
}

func ccName(c tcpip.CongestionControlState) string {
	switch c {
	case tcpip.Open:
		return "open"
	case tcpip.RTORecovery:
		return "loss"
	case tcpip.FastRecovery, tcpip.SACKRecovery:
		return "recovery"
	case tcpip.Disorder:
		return "disorder"
	}
	return "?"
}

// Stats are the stack's counters since it started.
type Stats struct {
	IP struct {
		PacketsSent, PacketsReceived, PacketsDelivered, OutgoingErrors uint64
	}
	TCP struct {
		ActiveOpens, PassiveOpens, CurrentEstablished, FailedAttempts uint64
		SegmentsSent, SegmentsReceived, Retransmits, FastRetransmits  uint64
		Timeouts, ResetsSent, ResetsReceived, InvalidSegments         uint64
	}
	UDP struct {
		PacketsSent, PacketsReceived, UnknownPortErrors, ReceiveBufferErrors uint64
	}
	ICMP struct {
		EchoRequestsSent, EchoRepliesSent, EchoRequestsReceived, EchoRepliesReceived uint64
		UnreachableSent, UnreachableReceived                                         uint64
	}
	// LinkDrops counts frames lost because the NIC's queue was full;
	// RxDrops inbound frames refused as too short or over the MTU.
	LinkDrops, RxDrops uint64
	// Pauses counts the barrier's Pause/Resume pairs, its unit of cost.
	Pauses uint64
}

// Stats returns the stack's counters.
func (s *Stack) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.st.Stats()
	var st Stats
	st.IP.PacketsSent = g.IP.PacketsSent.Value()
	st.IP.PacketsReceived = g.IP.PacketsReceived.Value()
	st.IP.PacketsDelivered = g.IP.PacketsDelivered.Value()
	st.IP.OutgoingErrors = g.IP.OutgoingPacketErrors.Value()
	t := g.TCP
	st.TCP.ActiveOpens = t.ActiveConnectionOpenings.Value()
	st.TCP.PassiveOpens = t.PassiveConnectionOpenings.Value()
	st.TCP.CurrentEstablished = t.CurrentEstablished.Value()
	st.TCP.FailedAttempts = t.FailedConnectionAttempts.Value()
	st.TCP.SegmentsSent = t.SegmentsSent.Value()
	st.TCP.SegmentsReceived = t.ValidSegmentsReceived.Value()
	st.TCP.Retransmits = t.Retransmits.Value()
	st.TCP.FastRetransmits = t.FastRetransmit.Value()
	st.TCP.Timeouts = t.Timeouts.Value()
	st.TCP.ResetsSent = t.ResetsSent.Value()
	st.TCP.ResetsReceived = t.ResetsReceived.Value()
	st.TCP.InvalidSegments = t.InvalidSegmentsReceived.Value()
	st.UDP.PacketsSent = g.UDP.PacketsSent.Value()
	st.UDP.PacketsReceived = g.UDP.PacketsReceived.Value()
	st.UDP.UnknownPortErrors = g.UDP.UnknownPortErrors.Value()
	st.UDP.ReceiveBufferErrors = g.UDP.ReceiveBufferErrors.Value()
	i := g.ICMP.V4
	st.ICMP.EchoRequestsSent = i.PacketsSent.EchoRequest.Value()
	st.ICMP.EchoRepliesSent = i.PacketsSent.EchoReply.Value()
	st.ICMP.EchoRequestsReceived = i.PacketsReceived.EchoRequest.Value()
	st.ICMP.EchoRepliesReceived = i.PacketsReceived.EchoReply.Value()
	st.ICMP.UnreachableSent = i.PacketsSent.DstUnreachable.Value()
	st.ICMP.UnreachableReceived = i.PacketsReceived.DstUnreachable.Value()
	st.LinkDrops = s.eth.linkDrops()
	st.Pauses = s.pauses
	st.RxDrops = s.rxDrops
	return st
}
