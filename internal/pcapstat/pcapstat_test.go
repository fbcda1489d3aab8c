package pcapstat

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tcpPacket builds an IPv4 packet with a TCP segment.
func tcpPacket(src, dst string, seq, ack uint32, flags byte, payload int) []byte {
	s, d := netip.MustParseAddrPort(src), netip.MustParseAddrPort(dst)
	p := make([]byte, 40+payload)
	p[0] = 0x45
	binary.BigEndian.PutUint16(p[2:], uint16(len(p)))
	p[8], p[9] = 64, 6
	copy(p[12:], s.Addr().AsSlice())
	copy(p[16:], d.Addr().AsSlice())
	binary.BigEndian.PutUint16(p[20:], s.Port())
	binary.BigEndian.PutUint16(p[22:], d.Port())
	binary.BigEndian.PutUint32(p[24:], seq)
	binary.BigEndian.PutUint32(p[28:], ack)
	p[32] = 5 << 4
	p[33] = flags
	return p
}

const (
	syn = 0x02
	ack = 0x10
	fin = 0x01
)

// capture writes packets as a pcap file; ether wraps them in Ethernet
// frames.
func capture(t *testing.T, ether bool, times []int64, pkts [][]byte) []byte {
	var b bytes.Buffer
	link := uint32(LinkRaw)
	if ether {
		link = LinkEthernet
	}
	require.NoError(t, WriteHeader(&b, link))
	for i, p := range pkts {
		if ether {
			p = append(append(make([]byte, 12), 0x08, 0x00), p...)
		}
		require.NoError(t, WriteRecord(&b, times[i], p))
	}
	return b.Bytes()
}

// transfer is a small connection: handshake, four 1000-byte segments of
// which the second is lost and sent again after three duplicate ACKs.
func transfer() ([]int64, [][]byte) {
	c, s := "10.0.0.1:40000", "10.0.0.2:80"
	const isn, sisn = 1000, 5000
	pk := [][]byte{
		tcpPacket(c, s, isn, 0, syn, 0),
		tcpPacket(s, c, sisn, isn+1, syn|ack, 0),
		tcpPacket(c, s, isn+1, sisn+1, ack, 0),
		tcpPacket(c, s, isn+1, sisn+1, ack, 1000),    // 1
		tcpPacket(c, s, isn+1001, sisn+1, ack, 1000), // 2, lost
		tcpPacket(c, s, isn+2001, sisn+1, ack, 1000), // 3
		tcpPacket(s, c, sisn+1, isn+1001, ack, 0),    // acks 1
		tcpPacket(c, s, isn+3001, sisn+1, ack, 1000), // 4
		tcpPacket(s, c, sisn+1, isn+1001, ack, 0),    // dup (3)
		tcpPacket(s, c, sisn+1, isn+1001, ack, 0),    // dup (4)
		tcpPacket(c, s, isn+1001, sisn+1, ack, 1000), // 2 again
		tcpPacket(s, c, sisn+1, isn+4001, ack, 0),    // all
		tcpPacket(c, s, isn+4001, sisn+1, ack|fin, 0),
	}
	times := make([]int64, len(pk))
	for i := range times {
		times[i] = int64(i) * 1_000_000
	}
	return times, pk
}

func TestAnalyze(t *testing.T) {
	for _, ether := range []bool{false, true} {
		times, pk := transfer()
		pkts, err := ReadPackets(bytes.NewReader(capture(t, ether, times, pk)))
		require.NoError(t, err, "ReadPackets(ether=%v)", ether)
		require.Len(t, pkts, len(pk), "ReadPackets(ether=%v)", ether)
		flows := Analyze(pkts)
		require.Len(t, flows, 1, "Analyze: only the client's direction carried data")
		f := flows[0]
		assert.Equal(t, "10.0.0.1:40000", f.Src.String(), "Src")
		assert.Equal(t, int64(4000), f.DataBytes, "DataBytes")
		assert.Equal(t, 5, f.DataSegments, "DataSegments")
		assert.Equal(t, 1, f.Retransmits, "Retransmits")
		assert.Equal(t, int64(1000), f.RetransBytes, "RetransBytes")
		assert.Equal(t, 2, f.DupAcks, "DupAcks")
		assert.Equal(t, int64(3000), f.MaxInFlight(), "MaxInFlight")
		assert.Equal(t, int64(12_000_000), f.LastNs-f.FirstNs, "duration")
		last := f.Samples[len(f.Samples)-1]
		assert.Equal(t, int64(0), last.InFlight, "in flight after the last ack")
	}
}

func TestReports(t *testing.T) {
	times, pk := transfer()
	pkts, err := ReadPackets(bytes.NewReader(capture(t, false, times, pk)))
	require.NoError(t, err)
	flows := Analyze(pkts)
	var b strings.Builder
	Summary(&b, flows)
	assert.Equal(t, "flow 10.0.0.1:40000 -> 10.0.0.2:80\n"+
		"  data bytes 4000 in 5 segments (8 segments in all)\n"+
		"  retransmitted segments 1 (20.0%, 1000 bytes), duplicate acks 2\n"+
		"  duration 12.000 ms, goodput 2.67 Mbit/s, max in flight 3000 bytes\n", b.String(), "Summary")
	b.Reset()
	Series(&b, flows[0], 5_000_000)
	assert.Equal(t, "# flow 10.0.0.1:40000 -> 10.0.0.2:80, interval 5.000 ms\n"+
		"   time_ms inflight_max  retrans\n"+
		"     0.000         2000        0\n"+
		"     5.000         3000        0\n"+
		"    10.000         3000        1\n", b.String(), "Series")
	b.Reset()
	Summary(&b, nil)
	assert.Equal(t, "no TCP data flows\n", b.String(), "Summary(nil)")
}

func TestReadPacketsErrors(t *testing.T) {
	times, pk := transfer()
	good := capture(t, false, times, pk)
	bigLink := append([]byte(nil), good[:24]...)
	binary.LittleEndian.PutUint32(bigLink[20:], 113)
	for _, c := range []struct {
		name, err string
		data      []byte
	}{
		{"empty", "pcap file header", nil},
		{"bad magic", "not a pcap file", make([]byte, 24)},
		{"link type", "pcap link type 113", bigLink},
		{"truncated record", "pcap record at byte 24", good[:30]},
		{"truncated data", "pcap record at byte 24", good[:24+16+10]},
	} {
		_, err := ReadPackets(bytes.NewReader(c.data))
		assert.ErrorContains(t, err, c.err, "ReadPackets(%s)", c.name)
	}
}

// A capture merged from two machines may hold a later frame first, and a
// segment may first appear after the ones that follow it: ReadPackets
// puts the frames in time order, and data first seen late is data, not a
// retransmission.
func TestOutOfOrderCapture(t *testing.T) {
	c, s := "10.0.0.1:40000", "10.0.0.2:80"
	pk := [][]byte{
		tcpPacket(c, s, 1000, 0, syn, 0),
		tcpPacket(c, s, 1001, 1, ack, 100),
		tcpPacket(c, s, 1201, 1, ack, 100), // 1101-1200 not seen yet
		tcpPacket(c, s, 1101, 1, ack, 100), // now it is: not a retransmission
		tcpPacket(c, s, 1001, 1, ack, 100), // this one is
	}
	times := []int64{0, 2000, 3000, 4000, 5000}
	order := []int{0, 2, 1, 3, 4} // written out of time order
	var wpk [][]byte
	var wt []int64
	for _, i := range order {
		wpk, wt = append(wpk, pk[i]), append(wt, times[i])
	}
	pkts, err := ReadPackets(bytes.NewReader(capture(t, false, wt, wpk)))
	require.NoError(t, err)
	for i := 1; i < len(pkts); i++ {
		assert.LessOrEqual(t, pkts[i-1].TimeNs, pkts[i].TimeNs, "ReadPackets: packet %d in time order", i)
	}
	f := Analyze(pkts)[0]
	assert.Equal(t, int64(300), f.DataBytes, "DataBytes")
	assert.Equal(t, 1, f.Retransmits, "Retransmits")
	assert.Equal(t, int64(100), f.RetransBytes, "RetransBytes")
}

func TestRanges(t *testing.T) {
	var r ranges
	for _, c := range []struct {
		start, end, overlap int64
		after               string
	}{
		{0, 10, 0, "[[0 10]]"},
		{20, 30, 0, "[[0 10] [20 30]]"},
		{5, 25, 10, "[[0 30]]"},
		{40, 50, 0, "[[0 30] [40 50]]"},
		{30, 40, 0, "[[0 50]]"},
		{0, 50, 50, "[[0 50]]"},
	} {
		assert.Equal(t, c.overlap, r.overlap(c.start, c.end), "overlap(%d, %d) of %v", c.start, c.end, r)
		r.add(c.start, c.end)
		assert.Equal(t, c.after, fmt.Sprint([][2]int64(r)), "after add(%d, %d)", c.start, c.end)
	}
}
