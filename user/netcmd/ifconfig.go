package netcmd

import (
	"net"
	"strings"

	"github.com/mkos/mkos/ipc/netproto"
)

// ifconfig [-a] [IFACE] shows the network interfaces as Linux's
// ifconfig does: flags, MTU, addresses, hardware address and counters.
// Without -a, interfaces that are down are left out.
func ifconfig(c *Cmd, args []string) int {
	opts, rest, err := options(args, "a")
	if err != nil || len(rest) > 1 {
		return c.usage("[-a] [INTERFACE]")
	}
	ifs, err := c.Interfaces()
	if err != nil {
		c.errorf("cannot list interfaces: %s", errText(err))
		return 1
	}
	shown := 0
	for _, i := range ifs {
		if len(rest) == 1 && i.Name != rest[0] || len(rest) == 0 && !i.Up && !has(opts, 'a') {
			continue
		}
		if shown > 0 {
			c.printf("\n")
		}
		shown++
		c.printf("%s: flags=<%s>  mtu %d\n", i.Name, strings.Join(ifaceFlags(i), ","), i.MTU)
		for _, p := range i.Addrs {
			c.printf("        inet %s  netmask %s\n", p.Addr(), net.IP(net.CIDRMask(p.Bits(), 32)))
		}
		if isLoopback(i) {
			c.printf("        loop  (Local Loopback)\n")
		} else {
			c.printf("        ether %s  (Ethernet)\n", mac(i))
		}
		c.printf("        RX packets %d  bytes %d\n", i.RxPackets, i.RxBytes)
		c.printf("        RX errors %d  dropped %d\n", i.RxErrors, i.Drops)
		c.printf("        TX packets %d  bytes %d\n", i.TxPackets, i.TxBytes)
		c.printf("        TX errors %d\n", i.TxErrors)
	}
	if len(rest) == 1 && shown == 0 {
		c.errorf("%s: no such interface", rest[0])
		return 1
	}
	return 0
}

// isLoopback reports whether i is the loopback interface.
func isLoopback(i netproto.Interface) bool {
	if i.Name == "lo" {
		return true
	}
	for _, p := range i.Addrs {
		if p.Addr().IsLoopback() {
			return true
		}
	}
	return false
}

// mac is i's hardware address, zeros when it has none.
func mac(i netproto.Interface) string {
	if i.MAC == "" {
		return "00:00:00:00:00:00"
	}
	return i.MAC
}

// ifaceFlags returns an interface's flags as ifconfig names them.
func ifaceFlags(i netproto.Interface) []string {
	var f []string
	if i.Up {
		f = append(f, "UP")
	}
	if isLoopback(i) {
		f = append(f, "LOOPBACK")
	} else {
		f = append(f, "BROADCAST")
	}
	if i.Up {
		f = append(f, "RUNNING")
	}
	return f
}

// ip addr [show [IFACE]] (also "ip a") shows the interfaces and their
// addresses as iproute2 does; it is the only ip object mkos has.
func ip(c *Cmd, args []string) int {
	if len(args) == 0 || !isPrefix(args[0], "address") {
		return c.usage("addr [show [INTERFACE]]")
	}
	args = args[1:]
	if len(args) > 0 && (args[0] == "show" || args[0] == "list") {
		args = args[1:]
	}
	if len(args) > 1 {
		return c.usage("addr [show [INTERFACE]]")
	}
	ifs, err := c.Interfaces()
	if err != nil {
		c.errorf("cannot list interfaces: %s", errText(err))
		return 1
	}
	shown := 0
	for n, i := range ifs {
		if len(args) == 1 && i.Name != args[0] {
			continue
		}
		shown++
		index := n + 1
		state := "DOWN"
		if i.Up {
			state = "UP"
		}
		flags := ifaceFlags(i)
		if i.Up {
			flags = append(flags[:len(flags)-1], "LOWER_UP")
		}
		c.printf("%d: %s: <%s> mtu %d state %s\n", index, i.Name, strings.Join(flags, ","), i.MTU, state)
		if isLoopback(i) {
			c.printf("    link/loopback %s\n", mac(i))
		} else {
			c.printf("    link/ether %s brd ff:ff:ff:ff:ff:ff\n", mac(i))
		}
		for _, p := range i.Addrs {
			scope := "global"
			if p.Addr().IsLoopback() {
				scope = "host"
			}
			c.printf("    inet %s scope %s %s\n", p, scope, i.Name)
		}
	}
	if len(args) == 1 && shown == 0 {
		c.errorf("Device \"%s\" does not exist.", args[0])
		return 1
	}
	return 0
}

// isPrefix reports whether s abbreviates word, as ip accepts "a",
// "addr" and "address".
func isPrefix(s, word string) bool { return s != "" && strings.HasPrefix(word, s) }
