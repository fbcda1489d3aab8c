package netcmd

import (
	"fmt"
	"net/netip"
	"strings"
)

// netstat [-t] [-u] [-l] [-a] [-e] lists the sockets as Linux's netstat
// -n does: connected ones by default, listening ones with -l, both with
// -a; -t and -u keep TCP or UDP only (both when neither is given); -e
// adds the TCP state the lab reads (congestion window, slow-start
// threshold, round-trip time, retransmissions). netstat -i lists the
// interfaces' counters instead.
func netstat(c *Cmd, args []string) int {
	opts, rest, err := options(args, "tulanei")
	if err != nil || len(rest) > 0 {
		return c.usage("[-t] [-u] [-l] [-a] [-e] | netstat -i")
	}
	if has(opts, 'i') {
		return netstatIfaces(c)
	}
	socks, err := c.NetSockets()
	if err != nil {
		c.errorf("cannot list sockets: %s", errText(err))
		return 1
	}
	tcp, udp := has(opts, 't'), has(opts, 'u')
	if !tcp && !udp {
		tcp, udp = true, true
	}
	listening, connected := has(opts, 'l') || has(opts, 'a'), !has(opts, 'l') || has(opts, 'a')
	switch {
	case listening && connected:
		c.printf("Active Internet connections (servers and established)\n")
	case listening:
		c.printf("Active Internet connections (only servers)\n")
	default:
		c.printf("Active Internet connections (w/o servers)\n")
	}
	extra := has(opts, 'e')
	c.printf("%-5s %6s %6s %-23s %-23s %-11s", "Proto", "Recv-Q", "Send-Q", "Local Address", "Foreign Address", "State")
	if extra {
		c.printf(" %5s %8s %9s %7s", "cwnd", "ssthresh", "rtt(ms)", "retrans")
	}
	c.printf("\n")
	for _, s := range socks {
		if s.Proto == "tcp" && !tcp || s.Proto == "udp" && !udp || s.Proto != "tcp" && s.Proto != "udp" {
			continue
		}
		if isListening(s) && !listening || !isListening(s) && !connected {
			continue
		}
		c.printf("%-5s %6d %6d %-23s %-23s %-11s", s.Proto, s.RecvQ, s.SendQ, endpoint(s.Local), endpoint(s.Remote), s.State)
		if extra && s.Proto == "tcp" {
			c.printf(" %5d %8d %9s %7d", s.CwndSegs, s.SsthreshSegs, msString(s.RTTNs), s.Retransmits)
		}
		c.printf("\n")
	}
	return 0
}

// isListening reports whether a socket waits for peers: a TCP listener,
// or a UDP socket with no peer.
func isListening(s SockInfo) bool {
	if s.Proto == "udp" {
		return !s.Remote.IsValid() || s.Remote.Port() == 0
	}
	return s.State == "LISTEN"
}

// endpoint renders an address as netstat -n does: "*" for a zero port.
func endpoint(a netip.AddrPort) string {
	addr := "0.0.0.0"
	if a.Addr().IsValid() {
		addr = a.Addr().String()
	}
	if a.Port() == 0 {
		return addr + ":*"
	}
	return fmt.Sprintf("%s:%d", addr, a.Port())
}

// netstatIfaces prints netstat -i: the interfaces' counters.
func netstatIfaces(c *Cmd) int {
	ifs, err := c.Interfaces()
	if err != nil {
		c.errorf("cannot list interfaces: %s", errText(err))
		return 1
	}
	c.printf("Kernel Interface table\n")
	c.printf("%-8s %5s %8s %6s %6s %8s %6s %6s %s\n", "Iface", "MTU", "RX-OK", "RX-ERR", "RX-DRP", "TX-OK", "TX-ERR", "TX-DRP", "Flg")
	for _, i := range ifs {
		flg := ""
		if i.Loopback {
			flg += "L"
		} else {
			flg += "B"
		}
		if i.Up {
			flg += "RU"
		}
		c.printf("%-8s %5d %8d %6d %6d %8d %6d %6d %s\n", i.Name, i.MTU, i.RxPackets, i.RxErrors, i.RxDropped,
			i.TxPackets, i.TxErrors, i.TxDropped, strings.TrimSpace(flg))
	}
	return 0
}
