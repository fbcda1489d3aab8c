package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// The network lines of a report: throughput and latency of the TCP
// workloads in virtual time under each profile and in host time, and the
// published numbers of user-space stacks they can be set beside.

// Published are measurements of user-space TCP/IP stacks, with their
// sources, for the report's comparison. What is comparable is said in
// docs/network.md: they are real wires and real cores, mkos's are virtual
// time on a cost profile.
var Published = []struct{ What, Number, Source string }{
	{"gVisor netstack (the stack mkos hosts), iperf3 between two Linux hosts, i5-12400, ~13 µs RTT", "2.15 Gbit/s; 10.8 Gbit/s with TCP GSO",
		"Tailscale commit cc370314e79d (wgengine/netstack: TCP GSO)"},
	{"Fuchsia's Go netstack (gVisor's ancestor), tcp_benchmark", "1.25 Gbit/s; 2.26 Gbit/s with software GSO",
		"fuchsia third_party/netstack commit aeeb455 (tcp: software segmentation offload)"},
	{"mTCP, user-level stack on 8 cores, small-message transactions", "25× the Linux 3.10 stack's rate",
		"Jeong et al., mTCP, NSDI 2014"},
	{"MINIX 3's new multiserver network stack against its old INET server", "\"several orders of magnitude\" faster",
		"MINIX 3 wiki, student project netsrvqueueing"},
}

// hasNetwork reports whether the report measured a TCP workload.
func (r *Report) hasNetwork() bool {
	for _, x := range r.Results {
		if strings.HasPrefix(x.Workload, "tcp") {
			return true
		}
	}
	return false
}

// netCost renders one TCP result's number in view: throughput for bulk,
// latency per round trip for request/response.
func netCost(x *Result, view string) string {
	ns := x.Cost(view)
	if x.BytesPerOp > 0 {
		if ns <= 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f Mbit/s", float64(x.BytesPerOp)*8/ns*1e3)
	}
	return FormatNs(ns)
}

// writeNetwork prints the network table and the published numbers.
func (r *Report) writeNetwork(w io.Writer) {
	if !r.hasNetwork() {
		return
	}
	profs := r.profiles()
	fmt.Fprintln(w, "\nnetwork: tcp-bulk as throughput, tcp-rr as latency per round trip (virtual time per profile, and host time):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "workload\tplacement\t"
	for _, p := range profs {
		head += p + "\t"
	}
	fmt.Fprintln(tw, head+"host\t")
	for i := range r.Results {
		x := &r.Results[i]
		if !strings.HasPrefix(x.Workload, "tcp") {
			continue
		}
		line := x.Workload + "\t" + x.Placement + "\t"
		for _, p := range profs {
			line += netCost(x, p) + "\t"
		}
		fmt.Fprintln(tw, line+netCost(x, "host")+"\t")
	}
	tw.Flush()
	if len(r.TCPHosts) > 0 {
		fmt.Fprintf(w, "across two machines (1 Gbit/s links, 50 µs latency; %d MiB bulk, %d round trips of %d bytes):\n", TCPHostsBytes>>20, TCPHostsRounds, tcpMsgBytes)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "mode\tprofile\tbulk\trtt mean\trtt p99\tframes\thost/frame\t")
		for _, x := range r.TCPHosts {
			fmt.Fprintf(tw, "%s\t%s\t%.1f Mbit/s\t%s\t%s\t%d\t%s\t\n", x.Mode, x.Profile, x.BulkMbps, FormatNs(float64(x.RTTNs)),
				FormatNs(float64(x.P99Ns)), x.Frames, FormatNs(x.HostNsPerFrame))
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "published user-space stacks (real wires and cores; see docs/network.md for what compares):")
	for _, p := range Published {
		fmt.Fprintf(w, "  %s: %s [%s]\n", p.What, p.Number, p.Source)
	}
}
