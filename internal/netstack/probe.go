package netstack

import (
	"net/netip"
	"sync"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
)

// maxProbes bounds the probe log between two Probes calls; older records are
// dropped first (and counted).
const maxProbes = 1 << 16

// Probe is a TCP connection's sender state right after it processed one
// inbound segment: what the TCP lab plots (the congestion window over
// virtual time).
type Probe struct {
	AtNs          int64
	Local, Remote netip.AddrPort
	// CwndSegs and SsthreshSegs are the congestion window and slow-start
	// threshold in segments; Outstanding the segments in flight.
	CwndSegs, SsthreshSegs, Outstanding int
	// SndUna and SndNxt are the oldest unacknowledged and the next sequence
	// numbers.
	SndUna, SndNxt uint32
	// SndBufUsed is the bytes in the send buffer (unsent or unacknowledged).
	SndBufUsed int
	// SRTTNs and RTONs are the smoothed round-trip time and the
	// retransmission timeout.
	SRTTNs, RTONs int64
	// Recovery is true during fast recovery.
	Recovery bool
}

// prober receives every TCP endpoint's state after each inbound segment,
// on the stack's goroutines: it keeps each connection's send-buffer use
// (netstat's Send-Q) and, when enabled, a log of Probes.
type prober struct {
	mu      sync.Mutex
	enabled bool
	log     []Probe
	dropped uint64
	// sendQ is the last SndBufUsed per connection.
	sendQ map[connKey]int
}

// connKey names a connection by its local and remote addresses.
type connKey struct{ local, remote netip.AddrPort }

func (p *prober) probe(st *tcp.TCPEndpointState) {
	var zero tcpip.MonotonicTime
	r := Probe{
		AtNs:         st.SegTime.Sub(zero).Nanoseconds(),
		Local:        netip.AddrPortFrom(netipOf(st.ID.LocalAddress), st.ID.LocalPort),
		Remote:       netip.AddrPortFrom(netipOf(st.ID.RemoteAddress), st.ID.RemotePort),
		CwndSegs:     st.Sender.SndCwnd,
		SsthreshSegs: st.Sender.Ssthresh,
		Outstanding:  st.Sender.Outstanding,
		SndUna:       uint32(st.Sender.SndUna),
		SndNxt:       uint32(st.Sender.SndNxt),
		SndBufUsed:   st.SndBufState.SndBufUsed,
		SRTTNs:       st.Sender.RTTState.SRTT.Nanoseconds(),
		RTONs:        st.Sender.RTO.Nanoseconds(),
		Recovery:     st.Sender.FastRecovery.Active,
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sendQ == nil {
		p.sendQ = map[connKey]int{}
	}
	p.sendQ[connKey{r.Local, r.Remote}] = r.SndBufUsed
	if !p.enabled {
		return
	}
	if len(p.log) == maxProbes {
		copy(p.log, p.log[1:])
		p.log = p.log[:maxProbes-1]
		p.dropped++
	}
	p.log = append(p.log, r)
}

// sendQueue returns a connection's last known send-buffer use.
func (p *prober) sendQueue(local, remote netip.AddrPort) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sendQ[connKey{local, remote}]
}

// forget drops a closed connection's send-buffer record.
func (p *prober) forget(local, remote netip.AddrPort) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.sendQ, connKey{local, remote})
}

// SetProbing turns the probe log on or off (off at start); turning it off
// empties it.
func (s *Stack) SetProbing(on bool) {
	s.probes.mu.Lock()
	defer s.probes.mu.Unlock()
	s.probes.enabled = on
	if !on {
		s.probes.log = nil
	}
}

// Probes returns the probe records since the last call, oldest first, and
// how many older ones were dropped because the log was full.
func (s *Stack) Probes() (log []Probe, dropped uint64) {
	s.probes.mu.Lock()
	defer s.probes.mu.Unlock()
	log, dropped = s.probes.log, s.probes.dropped
	s.probes.log, s.probes.dropped = nil, 0
	return log, dropped
}
