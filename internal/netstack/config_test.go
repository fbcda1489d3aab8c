package netstack

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

func TestConfigRejected(t *testing.T) {
	good := hostConfig(1, 1)
	if err := good.Validate(); err != nil {
		t.Fatalf("Validate(good) = %v, want nil", err)
	}
	cases := []struct {
		name    string
		edit    func(c *Config)
		wantErr string
	}{
		{"bad MAC", func(c *Config) { c.MAC = "zz" }, "not an Ethernet address"},
		{"multicast MAC", func(c *Config) { c.MAC = "01:00:5e:00:00:01" }, "multicast"},
		{"MTU too small", func(c *Config) { c.MTU = 100 }, "MTU 100 out of range"},
		{"MTU too big", func(c *Config) { c.MTU = 70000 }, "MTU 70000 out of range"},
		{"no IPv4 address", func(c *Config) { c.Addrs = []netip.Prefix{netip.MustParsePrefix("fd00::1/64")} }, "no IPv4 address"},
		{"unspecified address", func(c *Config) { c.Addrs = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")} }, "not a usable address"},
		{"IPv6 gateway", func(c *Config) { c.Gateway = netip.MustParseAddr("fd00::1") }, "gateway"},
		{"route of mixed families", func(c *Config) {
			c.Routes = []Route{{Dest: netip.MustParsePrefix("10.1.0.0/16"), Gateway: netip.MustParseAddr("fd00::1")}}
		}, "route"},
		{"unknown congestion control", func(c *Config) { c.Congestion = "bbr" }, "congestion control \"bbr\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := good
			c.edit(&cfg)
			if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, c.wantErr)
			}
			s, err := New(cfg)
			if err == nil {
				s.Destroy()
				t.Fatalf("New() = nil error, want one containing %q", c.wantErr)
			}
			if !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("New() = %v, want an error containing %q", err, c.wantErr)
			}
		})
	}
}

// TestGatewayRoute: traffic off the subnet goes to the gateway: the first
// frame is an ARP request for the gateway's address.
func TestGatewayRoute(t *testing.T) {
	cfg := hostConfig(1, 1)
	cfg.Gateway = netip.MustParseAddr("10.0.0.254")
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	defer s.Destroy()
	c := mustSock(t, s, IPv4, TCP)
	if e := s.Connect(c, netip.MustParseAddrPort("192.168.7.7:80")); e != EINPROGRESS {
		t.Fatalf("Connect(off-subnet) = %v, want EINPROGRESS", e)
	}
	frames := s.Drain()
	if len(frames) != 1 {
		t.Fatalf("Drain() = %d frames, want 1 ARP request", len(frames))
	}
	f := frames[0]
	if binary.BigEndian.Uint16(f[12:]) != 0x0806 || netip.AddrFrom4([4]byte(f[38:42])) != cfg.Gateway {
		t.Fatalf("frame = %x, want an ARP request for %v", f, cfg.Gateway)
	}
	if !isBroadcast(f) {
		t.Fatalf("ARP request to %x, want broadcast", f[:6])
	}
}

// TestMTU: no frame is larger than the MTU plus the Ethernet header, and
// the bulk of a transfer uses full-size frames.
func TestMTU(t *testing.T) {
	for _, mtu := range []int{576, 1500, 9000} {
		t.Run(strconv.Itoa(mtu), func(t *testing.T) {
			w := newWire(t, 0, 1, 0)
			for i := 1; i <= 2; i++ {
				cfg := hostConfig(i, 1)
				cfg.MTU = mtu
				s, err := New(cfg)
				if err != nil {
					t.Fatalf("New(MTU %d) = %v", mtu, err)
				}
				t.Cleanup(s.Destroy)
				w.stacks = append(w.stacks, s)
			}
			x := newTransfer(t, w, 256<<10, 1)
			w.run(60e9, x.step)
			largest := 0
			for _, tr := range w.trace {
				largest = max(largest, len(tr.frame))
			}
			// gVisor keeps 40 bytes of each segment for TCP options.
			if largest > mtu+14 || largest < mtu+14-40 {
				t.Fatalf("largest frame = %d bytes, want %d-%d (MTU + Ethernet header, less TCP option room)", largest, mtu+14-40, mtu+14)
			}
		})
	}
}

// TestIPv6 connects and pings over IPv6 (neighbor discovery instead of ARP).
func TestIPv6(t *testing.T) {
	w := newWire(t, 0, 3, 0)
	for i := 1; i <= 2; i++ {
		cfg := hostConfig(i, 3)
		cfg.Addrs = append(cfg.Addrs, netip.MustParsePrefix("fd00::"+strconv.Itoa(i)+"/64"))
		s, err := New(cfg)
		if err != nil {
			t.Fatalf("New(IPv6) = %v", err)
		}
		t.Cleanup(s.Destroy)
		w.stacks = append(w.stacks, s)
	}
	a, b := w.stacks[0], w.stacks[1]
	to := netip.MustParseAddrPort("[fd00::2]:80")
	lis := mustSock(t, b, IPv6, TCP)
	if e := b.Bind(lis, netip.AddrPortFrom(netip.IPv6Unspecified(), 80)); e != OK {
		t.Fatalf("Bind([::]:80) = %v, want OK", e)
	}
	b.Listen(lis, 4)
	c := mustSock(t, a, IPv6, TCP)
	if e := a.Connect(c, to); e != EINPROGRESS {
		t.Fatalf("Connect(%v) = %v, want EINPROGRESS", to, e)
	}
	w.run(10e9, func() bool { return a.Ready(c)&EventOut != 0 })
	if r, e := a.RemoteAddr(c); r != to || e != OK {
		t.Fatalf("RemoteAddr() = %v, %v, want %v, OK", r, e, to)
	}
	p := mustSock(t, a, IPv6, ICMP)
	req := []byte{128, 0, 0, 0, 0, 0, 0, 1, 'v', '6'}
	if _, e := a.SendTo(p, req, netip.MustParseAddrPort("[fd00::2]:0")); e != OK {
		t.Fatalf("SendTo(echo request v6) = %v, want OK", e)
	}
	buf := make([]byte, 64)
	n := 0
	w.run(10e9, func() bool {
		m, e := a.Recv(p, buf)
		n = m
		return e == OK
	})
	if n != len(req) || buf[0] != 129 || string(buf[8:n]) != "v6" {
		t.Fatalf("ICMPv6 reply = %x, want an echo reply (type 129) with data \"v6\"", buf[:n])
	}
}
