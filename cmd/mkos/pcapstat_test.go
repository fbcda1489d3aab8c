package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/internal/pcapstat"
)

// A capture of one data segment and its acknowledgement, read back by
// mkos pcapstat as a summary and as a series.
func TestPcapstatCommand(t *testing.T) {
	seg := func(src, dst [4]byte, sport, dport uint16, seq, ack uint32, payload int) []byte {
		p := make([]byte, 40+payload)
		p[0], p[9], p[32], p[33] = 0x45, 6, 5<<4, 0x10
		binary.BigEndian.PutUint16(p[2:], uint16(len(p)))
		copy(p[12:], src[:])
		copy(p[16:], dst[:])
		binary.BigEndian.PutUint16(p[20:], sport)
		binary.BigEndian.PutUint16(p[22:], dport)
		binary.BigEndian.PutUint32(p[24:], seq)
		binary.BigEndian.PutUint32(p[28:], ack)
		return p
	}
	a, b := [4]byte{10, 0, 0, 1}, [4]byte{10, 0, 0, 2}
	var buf bytes.Buffer
	require.NoError(t, pcapstat.WriteHeader(&buf, pcapstat.LinkRaw))
	require.NoError(t, pcapstat.WriteRecord(&buf, 0, seg(a, b, 4000, 5001, 100, 1, 1000)))
	require.NoError(t, pcapstat.WriteRecord(&buf, 2_000_000, seg(b, a, 5001, 4000, 1, 1100, 0)))
	file := filepath.Join(t.TempDir(), "wire.pcap")
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o644))

	out, _, err := mkos(t, "pcapstat", file)
	require.NoError(t, err)
	assert.Equal(t, "flow 10.0.0.1:4000 -> 10.0.0.2:5001\n"+
		"  data bytes 1000 in 1 segments (1 segments in all)\n"+
		"  retransmitted segments 0 (0.0%, 0 bytes), duplicate acks 0\n"+
		"  duration 2.000 ms, goodput 4.00 Mbit/s, max in flight 1000 bytes\n", out, "mkos pcapstat")

	out, _, err = mkos(t, "pcapstat", "--interval", "1ms", file)
	require.NoError(t, err)
	assert.Contains(t, out, "     0.000         1000        0\n     1.000         1000        0\n     2.000         1000        0\n", "mkos pcapstat --interval")

	_, _, err = mkos(t, "pcapstat", filepath.Join(t.TempDir(), "none.pcap"))
	assert.ErrorContains(t, err, "no such file")
	_, _, err = mkos(t, "pcapstat", "--interval", "-1s", file)
	assert.ErrorContains(t, err, "--interval -1s: must not be negative")
}
