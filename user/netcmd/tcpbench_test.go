package netcmd

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchServer is a remote tcpbench server for the client's tests: it
// answers a bulk test with the count and CRC of what came (spoil flips
// the checksum) and echoes a request/response test's messages.
func benchServer(spoil bool) func([]byte) []byte {
	var got []byte
	return func(b []byte) []byte {
		got = append(got, b...)
		if len(got) < benchRequestLen {
			return nil
		}
		r, err := decodeBenchRequest(got)
		if err != nil {
			return []byte("garbage")
		}
		if r.mode == 'R' {
			body := got[benchRequestLen:]
			if len(body) < int(r.size) {
				return nil
			}
			got = got[:benchRequestLen]
			return body[:r.size]
		}
		if int64(len(got)-benchRequestLen) < r.n {
			return nil
		}
		crc := crc32.ChecksumIEEE(got[benchRequestLen:])
		if spoil {
			crc ^= 1
		}
		ans := binary.BigEndian.AppendUint64(nil, uint64(r.n))
		return binary.BigEndian.AppendUint32(ans, crc)
	}
}

func TestTcpbench(t *testing.T) {
	bulk := benchRequest{mode: 'B', n: 1000}.encode()
	data := make([]byte, 1000)
	pattern(data, 0)
	crcSent := binary.BigEndian.AppendUint64(nil, 1000)
	crcSent = binary.BigEndian.AppendUint32(crcSent, crc32.ChecksumIEEE(data))
	rr := benchRequest{mode: 'R', n: 3, size: 4}.encode()
	runCases(t, []progCase{
		{name: "bulk intact", setup: func(f *fakeSys) { f.streams[ap("10.0.0.2:5001")] = benchServer(false) },
			args:   []string{"tcpbench", "-c", "host2", "-b", "100000"},
			stdout: "tcpbench mode=bulk bytes=100000 elapsed_ns=200000 mbps=4000.00 crc=" + crcHex(100000) + " intact\n"},
		{name: "bulk corrupted", setup: func(f *fakeSys) { f.streams[ap("10.0.0.2:5001")] = benchServer(true) },
			args: []string{"tcpbench", "-c", "host2", "-b", "1000"}, status: 1, stderr: "transfer corrupted: sent 1000 bytes crc"},
		{name: "request/response", setup: func(f *fakeSys) { f.streams[ap("10.0.0.2:7000")] = benchServer(false) },
			args:   []string{"tcpbench", "-c", "host2", "-p", "7000", "-r", "3", "-m", "4"},
			stdout: "tcpbench mode=rr rounds=3 size=4 elapsed_ns=400000 mean_ns=100000 p50_ns=100000 p99_ns=100000\n"},
		{name: "silent server times out", setup: func(f *fakeSys) { f.streams[ap("10.0.0.2:5001")] = func([]byte) []byte { return nil } },
			args: []string{"tcpbench", "-c", "host2", "-b", "10", "-w", "5"}, status: 1,
			stderr: "waiting for the checksum: timed out after 5s with 0 of 12 bytes", check: func(t *testing.T, f *fakeSys) {
				assert.Equal(t, int64(5_000_100), f.now/1000, "virtual time in µs: the connect, then -w")
			}},
		{name: "refused", args: []string{"tcpbench", "-c", "host2"}, status: 1, stderr: "tcpbench: connect to host2 port 5001: connection refused"},
		{name: "server checks bulk", setup: func(f *fakeSys) {
			f.clients[5001] = []*fakeClient{{from: ap("10.0.0.1:4000"), send: append(append([]byte(nil), bulk...), data...)}}
		}, args: []string{"tcpbench", "-s"}, check: func(t *testing.T, f *fakeSys) {
			assert.Equal(t, string(crcSent), f.clients[5001][0].got.String(), "the server's answer")
		}},
		{name: "server echoes", setup: func(f *fakeSys) {
			f.clients[5001] = []*fakeClient{{from: ap("10.0.0.1:4000"), send: append(append([]byte(nil), rr...), "aaaabbbbcccc"...)}}
		}, args: []string{"tcpbench", "-s"}, check: func(t *testing.T, f *fakeSys) {
			assert.Equal(t, "aaaabbbbcccc", f.clients[5001][0].got.String(), "the echoes")
		}},
		{name: "server refuses garbage", setup: func(f *fakeSys) {
			f.clients[5001] = []*fakeClient{{from: ap("10.0.0.1:4000"), send: []byte(strings.Repeat("x", 40))}}
		}, args: []string{"tcpbench", "-s"}, status: 1, stderr: "tcpbench: 10.0.0.1:4000: not a tcpbench request"},
		{name: "server: short transfer", setup: func(f *fakeSys) {
			f.clients[5001] = []*fakeClient{{from: ap("10.0.0.1:4000"), send: append(append([]byte(nil), bulk...), data[:10]...)}}
		}, args: []string{"tcpbench", "-s"}, status: 1, stderr: "connection closed after 10 of 1000 bytes"},
		{name: "usage: both sides", args: []string{"tcpbench", "-s", "-c", "x"}, status: 2, stderr: "tcpbench: usage:"},
		{name: "bad size", args: []string{"tcpbench", "-c", "x", "-m", "0"}, status: 2, stderr: `tcpbench: invalid -m "0"`},
	})
}

// crcHex is the CRC of the first n bytes of the pattern, as the result
// line prints it.
func crcHex(n int) string {
	b := make([]byte, n)
	pattern(b, 0)
	return fmt.Sprintf("%08x", crc32.ChecksumIEEE(b))
}

func TestParseResult(t *testing.T) {
	for _, r := range []Result{
		{Mode: "bulk", Bytes: 4 << 20, ElapsedNs: 123456789, CRC: 0xdeadbeef},
		{Mode: "rr", Rounds: 100, Size: 64, ElapsedNs: 5e6, MeanNs: 50000, P50Ns: 48000, P99Ns: 90000},
	} {
		got, err := ParseResult("noise\n" + r.String() + "\n")
		require.NoError(t, err, "ParseResult(%s)", r)
		assert.Equal(t, r, got, "ParseResult(%s)", r)
	}
	_, err := ParseResult("nothing here")
	assert.ErrorContains(t, err, "no tcpbench result line")
	_, err = ParseResult("tcpbench mode=udp")
	assert.ErrorContains(t, err, "unknown mode")
	assert.InDelta(t, 271.8, Result{Bytes: 4 << 20, ElapsedNs: 123456789}.Mbps(), 0.1, "Mbps")
}
