package netcmd

import (
	"bytes"

	"github.com/mkos/mkos/internal/pcapstat"
)

// pcapStat (pcapstat) [-t INTERVAL] FILE measures the TCP flows of a packet capture
// (as mkos run --pcap writes, copied into the file system): per flow the
// data bytes, retransmissions, duplicate ACKs, goodput and largest bytes
// in flight; with -t, each flow's bytes in flight and retransmissions
// per INTERVAL of virtual time (e.g. 10ms), the congestion window over
// time that the TCP lab plots.
func pcapStat(c *Cmd, args []string) int {
	opts, rest, err := options(args, "t:")
	if err != nil || len(rest) != 1 {
		return c.usage("[-t INTERVAL] FILE")
	}
	var interval int64
	if v, ok := opts['t']; ok {
		if interval, err = seconds(v); err != nil || interval == 0 {
			c.errorf("invalid interval %q", v)
			return 2
		}
	}
	data, err := c.readFile(rest[0])
	if err != nil {
		c.errorf("%s: %s", rest[0], errText(err))
		return 1
	}
	pkts, err := pcapstat.ReadPackets(bytes.NewReader(data))
	if err != nil {
		c.errorf("%s: %v", rest[0], err)
		return 1
	}
	flows := pcapstat.Analyze(pkts)
	if interval == 0 {
		pcapstat.Summary(c.Out, flows)
		return 0
	}
	for i, f := range flows {
		if i > 0 {
			c.printf("\n")
		}
		pcapstat.Series(c.Out, f, interval)
	}
	return 0
}
