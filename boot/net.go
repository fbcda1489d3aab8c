package boot

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/mkos/mkos/internal/netstack"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/ipc/nicproto"
	netsrv "github.com/mkos/mkos/servers/net"
)

// NetConf is the `net:` section: the machine's network, served by the net
// server ("net", placed like any other; it need not be listed in
// servers:). Every key may be left out:
//
//	net:
//	  address: 10.0.0.1/24   # default 10.0.0.<host+1>/24
//	  gateway: 10.0.0.254    # default: none
//	  mtu: 1500
//	  routes: [{dest: 10.1.0.0/16, via: 10.0.0.254}]
//
// Without a NIC (the hosts wiring adds one per machine) the loopback still
// works: 127.0.0.1 and the machine's own address.
type NetConf struct {
	Address    string         `yaml:"address"`
	Gateway    string         `yaml:"gateway"`
	MTU        int            `yaml:"mtu"`
	MAC        string         `yaml:"mac"`
	Congestion string         `yaml:"congestion"`
	Routes     []NetRouteConf `yaml:"routes"`
	// Host is the machine's index in a several-machine run, NIC the
	// service of its NIC driver: the hosts wiring sets them.
	Host int    `yaml:"-"`
	NIC  string `yaml:"-"`
}

// NetRouteConf is one route: packets for Dest go via the gateway Via
// (empty: straight on the link).
type NetRouteConf struct {
	Dest string `yaml:"dest"`
	Via  string `yaml:"via"`
}

// NetServer is the net server's configuration from c's net: section
// (the zero NetConf when there is none), seeded from the run's seed.
func (c *Config) NetServer() (netsrv.Config, error) {
	nc := NetConf{}
	if c.Net != nil {
		nc = *c.Net
	}
	if c.NIC != nil && nc.NIC == "" {
		nc.NIC = nicproto.Name // the stack takes the card's MAC and MTU from the driver
	}
	out := netsrv.Config{Host: nc.Host, MTU: nc.MTU, MAC: nc.MAC, NIC: nc.NIC, Congestion: nc.Congestion,
		Seed: c.Seed*0x9e3779b97f4a7c15 ^ uint64(nc.Host)}
	if nc.Address != "" {
		p, err := netip.ParsePrefix(nc.Address)
		if err != nil {
			return out, fmt.Errorf("net.address: %q is not an address/prefix such as 10.0.0.1/24", nc.Address)
		}
		out.Addrs = []netip.Prefix{p}
	}
	if nc.Gateway != "" {
		a, err := netip.ParseAddr(nc.Gateway)
		if err != nil {
			return out, fmt.Errorf("net.gateway: %q is not an address", nc.Gateway)
		}
		out.Gateway = a
	}
	for i, r := range nc.Routes {
		d, err := netip.ParsePrefix(r.Dest)
		if err != nil {
			return out, fmt.Errorf("net.routes[%d].dest: %q is not an address/prefix", i, r.Dest)
		}
		rt := netstack.Route{Dest: d}
		if r.Via != "" {
			if rt.Gateway, err = netip.ParseAddr(r.Via); err != nil {
				return out, fmt.Errorf("net.routes[%d].via: %q is not an address", i, r.Via)
			}
		}
		out.Routes = append(out.Routes, rt)
	}
	return out, nil
}

// checkNetPlacement refuses net in a process, on every platform (Check
// calls it before checkProcess, which refuses process placement where
// there is none, so the reason given is the same everywhere).
func (c *Config) checkNetPlacement() error {
	for _, s := range c.servers() {
		if s.Name == netproto.Name && c.InProcess(s) {
			return fmt.Errorf("net: the net server cannot run in a process (placement or isolation: process): " +
				"its stack (gVisor's netstack) runs goroutines of its own that the sandbox's seccomp filter was not " +
				"written for, so it is not offered; place it in user space (placement: user) or in the kernel")
		}
	}
	return nil
}

// checkNet checks the net: section (checkNetPlacement, where net may run).
func (c *Config) checkNet() error {
	for i, s := range c.Servers {
		if s.Name == netproto.Name && s.Instances > 1 {
			return fmt.Errorf("servers[%d].instances: %d net servers would be %d stacks with one address; net takes 1", i, s.Instances, s.Instances)
		}
	}
	if c.Net == nil && !slices.ContainsFunc(c.Servers, func(s ServerConf) bool { return s.Name == netproto.Name }) {
		return nil
	}
	nc, err := c.NetServer()
	if err != nil {
		return err
	}
	if err := nc.Check(); err != nil {
		return fmt.Errorf("net: %v", err)
	}
	return nil
}

// withNet returns servers with the net server added when there is a net:
// section and the list does not place it.
func (c *Config) withNet(servers []ServerConf) []ServerConf {
	listed := slices.ContainsFunc(servers, func(s ServerConf) bool { return s.Name == netproto.Name })
	if c.Net == nil || listed {
		return servers
	}
	return append(slices.Clip(servers), ServerConf{Name: netproto.Name})
}

// newNet is the net server of c's net: section. The system's Close
// stops the stacks of every instance it made (a crashed instance's stack
// only idles until then: its task is gone, and nothing drives it).
func newNet(c *Config) ipc.Server {
	nc, err := c.NetServer()
	if err != nil {
		panic(err) // Check refuses such a configuration
	}
	k := c.state()
	srv := netsrv.New(nc)
	k.nets = append(k.nets, srv)
	return srv
}
