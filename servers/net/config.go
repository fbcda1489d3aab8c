package net

import (
	"fmt"
	"net/netip"

	"github.com/mkos/mkos/internal/netstack"
)

// Config is one machine's network configuration, which boot fills from
// the `net:` section (and the hosts wiring, one per machine). Zero fields
// take the defaults.
type Config struct {
	// Host is the machine's index in a several-machine run (0 for one
	// machine): the default address is 10.0.0.<Host+1>/24 and the default
	// MAC 02:00:00:00:00:<Host+1>.
	Host int
	// Addrs are the NIC's addresses with their prefixes (one IPv4
	// address, IPv6 ones optional).
	Addrs []netip.Prefix
	// Gateway is the default route's next hop (none when invalid).
	Gateway netip.Addr
	// Routes are further routes through the NIC.
	Routes []netstack.Route
	// MTU is the NIC's IP MTU (netstack.DefaultMTU when 0).
	MTU int
	// MAC is the NIC's Ethernet address ("02:00:00:00:00:01").
	MAC string
	// NIC is the service of the NIC driver ("" for none: the loopback
	// only, and frames for the wire are dropped and counted).
	NIC string
	// Seed seeds the stack (ISNs, ports); boot mixes the kernel's seed
	// with Host. The server mixes in a number from the kernel each time
	// it starts, so a restarted instance picks new ISNs.
	Seed uint64
	// Congestion is the TCP congestion control: "reno" or "cubic".
	Congestion string
	// MaxSockets bounds the open handles (DefaultMaxSockets when 0):
	// Socket, Accept and Dup fail with ENFILE beyond it.
	MaxSockets int
}

// DefaultMaxSockets bounds the handles of one net server.
const DefaultMaxSockets = 1024

// withDefaults returns c with its zero fields filled in.
func (c Config) withDefaults() Config {
	n := byte(c.Host + 1)
	if len(c.Addrs) == 0 {
		c.Addrs = []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, n}), 24)}
	}
	if c.MAC == "" {
		c.MAC = fmt.Sprintf("02:00:00:00:%02x:%02x", byte((c.Host+1)>>8), n)
	}
	if c.MaxSockets <= 0 {
		c.MaxSockets = DefaultMaxSockets
	}
	return c
}

// Check reports what is wrong with c, as the boot configuration's check
// does before anything starts.
func (c Config) Check() error {
	c = c.withDefaults()
	if c.Host < 0 || c.Host > 253 {
		return fmt.Errorf("net: host %d out of range 0..253", c.Host)
	}
	st, err := netstack.New(c.stackConfig(0))
	if err != nil {
		return err
	}
	st.Destroy()
	return nil
}

// stackConfig is the netstack configuration of c, seeded with seed.
func (c Config) stackConfig(seed uint64) netstack.Config {
	return netstack.Config{
		Seed: c.Seed ^ seed, MAC: c.MAC, Addrs: c.Addrs, Gateway: c.Gateway, Routes: c.Routes,
		MTU: c.MTU, Loopback: true, Congestion: c.Congestion,
	}
}
