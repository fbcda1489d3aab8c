package main

import (
	"bufio"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/internal/pcapstat"
)

func newPcapstatCmd() *cobra.Command {
	var interval time.Duration
	cmd := &cobra.Command{
		Use:   "pcapstat FILE",
		Short: "Measure the TCP flows of a packet capture (retransmissions, bytes in flight)",
		Long: `Read a packet capture in the pcap format (what mkos run --pcap writes, or
tcpdump -w) and measure each direction of each TCP connection that carried
data: the data bytes, the segments, the retransmitted segments (data sent
again: sequence numbers already sent), the receiver's duplicate
acknowledgements, the duration and goodput in the capture's (virtual) time,
and the largest number of bytes in flight — sent, not yet acknowledged: the
sender's congestion window as the wire shows it.

With --interval, print each flow's bytes in flight and retransmissions per
interval instead: a time series to plot (the TCP-under-loss lab).`,
		Example: `  mkos pcapstat wire.pcap
  mkos pcapstat --interval 10ms wire.pcap > cwnd.txt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			pkts, err := pcapstat.ReadPackets(bufio.NewReader(f))
			if err != nil {
				return err
			}
			flows := pcapstat.Analyze(pkts)
			out := cmd.OutOrStdout()
			if interval <= 0 {
				pcapstat.Summary(out, flows)
				return nil
			}
			for _, fl := range flows {
				pcapstat.Series(out, fl, int64(interval))
			}
			return nil
		},
	}
	cmd.Flags().DurationVar(&interval, "interval", 0, "print bytes in flight per interval of virtual time (e.g. 10ms)")
	return cmd
}
