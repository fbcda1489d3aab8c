package netstack

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"testing"
)

// garbage returns a frame for host 2 with a valid Ethernet header of
// ethertype typ and n random bytes after it; with ipHdr, the bytes start
// with a plausible IPv4 header (version, length, protocol) so the junk
// reaches TCP, UDP and ICMP.
func garbage(r *rand.Rand, typ uint16, n int, ipHdr bool) []byte {
	f := make([]byte, 14+n)
	copy(f, []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1})
	binary.BigEndian.PutUint16(f[12:], typ)
	for i := 14; i < len(f); i++ {
		f[i] = byte(r.Uint32())
	}
	if ipHdr && n >= 20 {
		f[14] = 0x45
		binary.BigEndian.PutUint16(f[16:], uint16(n))
		f[23] = []byte{1, 6, 17}[r.IntN(3)]
		copy(f[26:30], []byte{10, 0, 0, 1})
		copy(f[30:34], []byte{10, 0, 0, 2})
	}
	return f
}

// TestInjectGarbage: thousands of malformed frames (random bytes after an
// Ethernet header of each type, truncated headers, lying lengths) neither
// crash the stack nor stop it serving a connection afterwards.
func TestInjectGarbage(t *testing.T) {
	w := newWire(t, 2, 21, 0)
	b := w.stacks[1]
	listen(t, b, 80)
	u := mustSock(t, b, IPv4, UDP)
	b.Bind(u, hostAddr(2, 53))
	r := rand.New(rand.NewPCG(21, 1))
	for i := range 3000 {
		typ := []uint16{0x0800, 0x0806, 0x86dd, 0x1234}[i%4]
		b.Inject(garbage(r, typ, r.IntN(120), i%8 < 6))
	}
	b.Inject(nil)
	b.Inject([]byte{1, 2, 3})
	b.Drain()
	// Still alive: a real connection works.
	c := mustSock(t, w.stacks[0], IPv4, TCP)
	w.stacks[0].Connect(c, hostAddr(2, 80))
	w.run(10e9, func() bool { return w.stacks[0].Ready(c)&EventOut != 0 })
	if e := w.stacks[0].SockError(c); e != OK {
		t.Fatalf("connect after garbage: SockError() = %v, want OK", e)
	}
}

// FuzzInject feeds arbitrary frames to a stack with a listener and a UDP
// socket; it must never panic.
func FuzzInject(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 2))
	f.Add(garbage(r, 0x0800, 40, true))
	f.Add(garbage(r, 0x0806, 28, false))
	f.Add(garbage(r, 0x86dd, 60, false))
	s, err := New(hostConfig(2, 1))
	if err != nil {
		f.Fatal(err)
	}
	defer s.Destroy()
	l, _ := s.Socket(IPv4, TCP)
	s.Bind(l, netip.MustParseAddrPort("0.0.0.0:80"))
	s.Listen(l, 4)
	f.Fuzz(func(t *testing.T, frame []byte) {
		s.Inject(frame)
		s.Drain()
	})
}
