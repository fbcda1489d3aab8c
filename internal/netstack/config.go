package netstack

import (
	"fmt"
	"net"
	"net/netip"
)

// DefaultMTU is the IP MTU of the Ethernet NIC when Config.MTU is zero.
const DefaultMTU = 1500

// Config is one machine's network configuration: its NIC, addresses and
// routes, from the boot configuration.
type Config struct {
	// Seed seeds the stack's randomness (ISNs, ports, IP IDs); the kernel's
	// seed, mixed with the host number, so machines differ.
	Seed uint64
	// MAC is the Ethernet NIC's address, "02:00:00:00:00:01".
	MAC string
	// Addrs are the NIC's addresses with their prefixes: one IPv4 address
	// ("10.0.0.1/24") and, optionally, IPv6 ones ("fd00::1/64").
	Addrs []netip.Prefix
	// Gateway, when valid, is the default route's next hop.
	Gateway netip.Addr
	// Routes are further routes through the NIC, tried before the default.
	Routes []Route
	// MTU is the NIC's IP MTU in bytes (DefaultMTU when 0); its frames are
	// up to MTU+14 bytes.
	MTU int
	// Loopback adds the loopback NIC with 127.0.0.1/8 (and ::1 with IPv6).
	Loopback bool
	// Congestion names the TCP congestion control: "reno" (default) or
	// "cubic".
	Congestion string
}

// Route sends packets for Dest through the NIC, to Gateway when valid
// (else directly to the destination on the link).
type Route struct {
	Dest    netip.Prefix
	Gateway netip.Addr
}

// Validate reports what is wrong with c, the errors New would return,
// without building a stack.
func (c Config) Validate() error {
	_, _, err := c.check()
	return err
}

// check validates c and returns its MAC address and MTU.
func (c Config) check() (mac net.HardwareAddr, mtu int, err error) {
	mac, err = net.ParseMAC(c.MAC)
	if err != nil || len(mac) != 6 {
		return nil, 0, fmt.Errorf("netstack: MAC %q is not an Ethernet address", c.MAC)
	}
	if mac[0]&1 != 0 {
		return nil, 0, fmt.Errorf("netstack: MAC %s is a multicast address", c.MAC)
	}
	mtu = c.MTU
	if mtu == 0 {
		mtu = DefaultMTU
	}
	if mtu < 576 || mtu > 65535 {
		return nil, 0, fmt.Errorf("netstack: MTU %d out of range 576..65535", mtu)
	}
	has4 := false
	for _, p := range c.Addrs {
		if !p.IsValid() || p.Addr().Zone() != "" || p.Addr().IsUnspecified() {
			return nil, 0, fmt.Errorf("netstack: address %v is not a usable address/prefix", p)
		}
		has4 = has4 || p.Addr().Is4()
	}
	if !has4 {
		return nil, 0, fmt.Errorf("netstack: no IPv4 address in %v", c.Addrs)
	}
	if c.Gateway.IsValid() && !c.Gateway.Is4() {
		return nil, 0, fmt.Errorf("netstack: gateway %v is not an IPv4 address", c.Gateway)
	}
	for _, r := range c.Routes {
		if !r.Dest.IsValid() || (r.Gateway.IsValid() && r.Gateway.Is4() != r.Dest.Addr().Is4()) {
			return nil, 0, fmt.Errorf("netstack: route %v via %v is not valid", r.Dest, r.Gateway)
		}
	}
	switch c.Congestion {
	case "", "reno", "cubic":
	default:
		return nil, 0, fmt.Errorf("netstack: congestion control %q is not reno or cubic", c.Congestion)
	}
	return mac, mtu, nil
}

// hasIPv6 reports whether c gives the NIC an IPv6 address.
func (c Config) hasIPv6() bool {
	for _, p := range c.Addrs {
		if p.Addr().Is6() && !p.Addr().Is4In6() {
			return true
		}
	}
	return false
}
