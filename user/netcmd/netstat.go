package netcmd

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/mkos/mkos/ipc/netproto"
)

// netstat [-t] [-u] [-l] [-a] [-n] lists the sockets as Linux's netstat
// -n does (addresses are always numeric): connected ones by default,
// listening ones with -l, both with -a; -t and -u keep TCP or UDP only
// (both when neither is given). netstat -i lists the interfaces'
// counters instead.
func netstat(c *Cmd, args []string) int {
	opts, rest, err := options(args, "tulani")
	if err != nil || len(rest) > 0 {
		return c.usage("[-t] [-u] [-l] [-a] [-n] | netstat -i")
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
	c.printf("%-5s %6s %6s %-23s %-23s %s\n", "Proto", "Recv-Q", "Send-Q", "Local Address", "Foreign Address", "State")
	for _, s := range socks {
		isTCP, isUDP := strings.HasPrefix(s.Proto, "tcp"), strings.HasPrefix(s.Proto, "udp")
		if isTCP && !tcp || isUDP && !udp || !isTCP && !isUDP {
			continue
		}
		if isListening(s) && !listening || !isListening(s) && !connected {
			continue
		}
		line := fmt.Sprintf("%-5s %6d %6d %-23s %-23s %s", s.Proto, s.RecvQ, s.SendQ, endpoint(s.Local), endpoint(s.Remote), s.State)
		c.printf("%s\n", strings.TrimRight(line, " "))
	}
	return 0
}

// isListening reports whether a socket waits for peers: a TCP listener,
// or a UDP socket with no peer.
func isListening(s netproto.SocketInfo) bool {
	if strings.HasPrefix(s.Proto, "udp") {
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
	c.printf("%-8s %5s %8s %6s %6s %8s %6s %s\n", "Iface", "MTU", "RX-OK", "RX-ERR", "RX-DRP", "TX-OK", "TX-ERR", "Flg")
	for _, i := range ifs {
		flg := "B"
		if isLoopback(i) {
			flg = "L"
		}
		if i.Up {
			flg += "RU"
		}
		c.printf("%-8s %5d %8d %6d %6d %8d %6d %s\n", i.Name, i.MTU, i.RxPackets, i.RxErrors, i.Drops,
			i.TxPackets, i.TxErrors, flg)
	}
	return 0
}
