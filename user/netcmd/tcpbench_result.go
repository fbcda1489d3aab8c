package netcmd

import (
	"fmt"
	"strconv"
	"strings"
)

// Result is what a tcpbench client prints, in virtual time: one line of
// key=value fields that ParseResult reads back.
type Result struct {
	Mode      string // "bulk" or "rr"
	ElapsedNs int64  // from connect to the last byte back
	// Bulk: the bytes sent and their CRC-32, checked by the server.
	Bytes int64
	CRC   uint32
	// Request/response: rounds, message size, latency per round.
	Rounds, Size         int64
	MeanNs, P50Ns, P99Ns int64
}

// Mbps is a bulk test's throughput in megabits per second of virtual
// time.
func (r Result) Mbps() float64 {
	if r.ElapsedNs <= 0 {
		return 0
	}
	return float64(r.Bytes) * 8 / (float64(r.ElapsedNs) / 1e9) / 1e6
}

// String renders the result line.
func (r Result) String() string {
	if r.Mode == "rr" {
		return fmt.Sprintf("tcpbench mode=rr rounds=%d size=%d elapsed_ns=%d mean_ns=%d p50_ns=%d p99_ns=%d",
			r.Rounds, r.Size, r.ElapsedNs, r.MeanNs, r.P50Ns, r.P99Ns)
	}
	return fmt.Sprintf("tcpbench mode=bulk bytes=%d elapsed_ns=%d mbps=%.2f crc=%08x intact",
		r.Bytes, r.ElapsedNs, r.Mbps(), r.CRC)
}

// ParseResult reads a result line from a client's output.
func ParseResult(out string) (Result, error) {
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "tcpbench" {
			continue
		}
		var r Result
		for _, kv := range f[1:] {
			k, v, _ := strings.Cut(kv, "=")
			n, _ := strconv.ParseInt(v, 10, 64)
			switch k {
			case "mode":
				r.Mode = v
			case "bytes":
				r.Bytes = n
			case "elapsed_ns":
				r.ElapsedNs = n
			case "crc":
				c, _ := strconv.ParseUint(v, 16, 32)
				r.CRC = uint32(c)
			case "rounds":
				r.Rounds = n
			case "size":
				r.Size = n
			case "mean_ns":
				r.MeanNs = n
			case "p50_ns":
				r.P50Ns = n
			case "p99_ns":
				r.P99Ns = n
			}
		}
		if r.Mode != "bulk" && r.Mode != "rr" {
			return r, fmt.Errorf("tcpbench result %q: unknown mode", strings.TrimSpace(line))
		}
		return r, nil
	}
	return Result{}, fmt.Errorf("no tcpbench result line in %q", out)
}
