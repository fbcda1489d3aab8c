package pcapstat

import (
	"encoding/binary"
	"net/netip"
)

// Flow is one direction of a TCP connection that carried data, as seen
// on the wire.
type Flow struct {
	Src, Dst netip.AddrPort
	// Segments is every segment sent this way; DataSegments those with a
	// payload.
	Segments, DataSegments int
	// DataBytes is the payload delivered once: the sequence space the
	// flow covered, without retransmissions.
	DataBytes int64
	// Retransmits counts data segments that resent sequence numbers
	// already seen in the capture; RetransBytes the bytes seen again.
	Retransmits  int
	RetransBytes int64
	// DupAcks counts the receiver's duplicate acknowledgements: pure
	// ACKs repeating the last acknowledgement number while data was in
	// flight.
	DupAcks int
	// FirstNs and LastNs are the times of the flow's first and last
	// segment (either way).
	FirstNs, LastNs int64
	// Samples is the bytes in flight after each segment of the
	// connection: sent and not yet acknowledged, the congestion window
	// as far as the wire shows it.
	Samples []Sample

	isn        uint32
	maxEnd     int64  // highest sequence sent, relative to isn
	sentRanges ranges // the sequence numbers sent with data
	maxAck     int64  // highest acknowledgement received, relative to isn
	lastAck    int64
	started    bool
	seen       bool
	ackStarted bool
}

// Sample is a point of a flow's bytes-in-flight series.
type Sample struct {
	TimeNs     int64
	InFlight   int64
	Retransmit bool // the segment at this time was a retransmission
}

// GoodputBps is the flow's useful bytes per second of virtual time, in
// bits.
func (f *Flow) GoodputBps() float64 {
	d := f.LastNs - f.FirstNs
	if d <= 0 {
		return 0
	}
	return float64(f.DataBytes) * 8 / (float64(d) / 1e9)
}

// MaxInFlight is the largest bytes in flight seen.
func (f *Flow) MaxInFlight() int64 {
	var m int64
	for _, s := range f.Samples {
		m = max(m, s.InFlight)
	}
	return m
}

// segment is the part of a TCP segment the measures read.
type segment struct {
	src, dst      netip.AddrPort
	seq, ack      uint32
	syn, fin, has bool // has: the ACK flag
	payload       int
}

// parseTCP parses an IPv4 packet carrying TCP.
func parseTCP(ip []byte) (segment, bool) {
	ihl := int(ip[0]&0xf) * 4
	total := int(binary.BigEndian.Uint16(ip[2:]))
	if ip[9] != 6 || ihl < 20 || total < ihl+20 || total > len(ip) {
		return segment{}, false
	}
	t := ip[ihl:total]
	off := int(t[12]>>4) * 4
	if off < 20 || off > len(t) {
		return segment{}, false
	}
	src := netip.AddrFrom4([4]byte(ip[12:16]))
	dst := netip.AddrFrom4([4]byte(ip[16:20]))
	return segment{
		src:     netip.AddrPortFrom(src, binary.BigEndian.Uint16(t[0:])),
		dst:     netip.AddrPortFrom(dst, binary.BigEndian.Uint16(t[2:])),
		seq:     binary.BigEndian.Uint32(t[4:]),
		ack:     binary.BigEndian.Uint32(t[8:]),
		syn:     t[13]&0x02 != 0,
		fin:     t[13]&0x01 != 0,
		has:     t[13]&0x10 != 0,
		payload: len(t) - off,
	}, true
}

// Analyze measures the TCP flows in packets; it returns the directions
// that carried data, in the order they first appeared.
func Analyze(packets []Packet) []*Flow {
	type key struct{ src, dst netip.AddrPort }
	flows := map[key]*Flow{}
	var order []*Flow
	get := func(src, dst netip.AddrPort) *Flow {
		k := key{src, dst}
		f, ok := flows[k]
		if !ok {
			f = &Flow{Src: src, Dst: dst}
			flows[k] = f
			order = append(order, f)
		}
		return f
	}
	for _, p := range packets {
		s, ok := parseTCP(p.IP)
		if !ok {
			continue
		}
		out, back := get(s.src, s.dst), get(s.dst, s.src)
		out.sent(s, p.TimeNs)
		if s.has {
			back.acked(s, p.TimeNs)
		}
	}
	var data []*Flow
	for _, f := range order {
		if f.DataSegments > 0 {
			data = append(data, f)
		}
	}
	return data
}

// touch extends the flow's time span to t.
func (f *Flow) touch(t int64) {
	if !f.seen {
		f.seen, f.FirstNs = true, t
	}
	f.LastNs = t
}

// sent records segment s going this flow's way at time t.
func (f *Flow) sent(s segment, t int64) {
	if !f.started {
		f.started, f.isn = true, s.seq
	}
	f.Segments++
	f.touch(t)
	start := int64(s.seq - f.isn)
	end := start + int64(s.payload)
	if s.syn || s.fin {
		end++
	}
	retrans := false
	if s.payload > 0 {
		f.DataSegments++
		if seen := f.sentRanges.overlap(start, end); seen > 0 {
			retrans = true
			f.Retransmits++
			f.RetransBytes += seen
		}
		f.DataBytes += end - start - f.sentRanges.overlap(start, end)
		f.sentRanges.add(start, end)
	}
	f.maxEnd = max(f.maxEnd, end)
	if s.payload > 0 {
		f.Samples = append(f.Samples, Sample{TimeNs: t, InFlight: f.inFlight(), Retransmit: retrans})
	}
}

// acked records an acknowledgement of this flow's data at time t.
func (f *Flow) acked(s segment, t int64) {
	if !f.started {
		return
	}
	f.touch(t)
	a := int64(s.ack - f.isn)
	pure := s.payload == 0 && !s.syn && !s.fin
	if f.ackStarted && pure && a == f.lastAck && f.inFlight() > 0 {
		f.DupAcks++
	}
	f.ackStarted, f.lastAck = true, a
	if a > f.maxAck {
		f.maxAck = a
		if f.DataSegments > 0 {
			f.Samples = append(f.Samples, Sample{TimeNs: t, InFlight: f.inFlight()})
		}
	}
}

// inFlight is the bytes sent and not yet acknowledged.
func (f *Flow) inFlight() int64 { return max(f.maxEnd-f.maxAck, 0) }

// ranges is a set of sequence numbers: sorted, disjoint [start, end)
// intervals. Segments come mostly in order, so adding at the end is the
// common case.
type ranges [][2]int64

// overlap counts the numbers of [start, end) already in the set.
func (r ranges) overlap(start, end int64) int64 {
	var n int64
	for i := len(r) - 1; i >= 0 && r[i][1] > start; i-- {
		n += max(min(end, r[i][1])-max(start, r[i][0]), 0)
	}
	return n
}

// add puts [start, end) in the set, merging what it touches.
func (r *ranges) add(start, end int64) {
	s := *r
	i := len(s)
	for i > 0 && s[i-1][1] >= start {
		i--
	}
	j := i
	for j < len(s) && s[j][0] <= end {
		start, end = min(start, s[j][0]), max(end, s[j][1])
		j++
	}
	*r = append(s[:i], append([][2]int64{{start, end}}, s[j:]...)...)
}
