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
	before := b.Stats().RxDrops
	b.Inject(nil)
	b.Inject([]byte{1, 2, 3})
	b.Inject(garbage(r, 0x0800, DefaultMTU+1, true))
	if got := b.Stats().RxDrops - before; got != 3 {
		t.Fatalf("RxDrops grew by %d after a nil, a 3-byte and an oversize frame, want 3", got)
	}
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

// TestRandomCalls makes thousands of seeded random socket calls — stale
// and unknown handles, odd addresses, huge sizes, every option — on two
// stacks joined by a lossy wire. No call may panic, and every errno must be
// one Errnos lists (the net server's declared set).
func TestRandomCalls(t *testing.T) {
	w := newWire(t, 2, 41, 10)
	r := rand.New(rand.NewPCG(41, 41))
	listed := map[Errno]bool{OK: true}
	for _, e := range Errnos {
		listed[e] = true
	}
	addrs := []netip.AddrPort{
		hostAddr(1, 80), hostAddr(2, 80), hostAddr(2, 0), hostAddr(9, 80),
		netip.MustParseAddrPort("127.0.0.1:80"), netip.MustParseAddrPort("0.0.0.0:0"),
		netip.MustParseAddrPort("255.255.255.255:9"), netip.MustParseAddrPort("224.0.0.1:9"),
		netip.MustParseAddrPort("[fd00::1]:80"), {},
	}
	seen := map[Errno]int{}
	check := func(op string, e Errno) {
		if !listed[e] {
			t.Fatalf("%s = %v, not in Errnos", op, e)
		}
		seen[e]++
	}
	buf := make([]byte, 70000)
	for i := range 4000 {
		s := w.stacks[r.IntN(2)]
		h := Sock(r.IntN(int(s.nextSock) + 2)) // stale and unknown handles too
		if open := s.Netstat(); len(open) > 0 && r.IntN(5) > 0 {
			h = open[r.IntN(len(open))].Sock
		}
		ap := addrs[r.IntN(len(addrs))]
		switch r.IntN(15) {
		case 0, 14:
			_, e := s.Socket(Family(4+2*r.IntN(2)), []Proto{TCP, UDP, ICMP}[r.IntN(3)])
			check("Socket", e)
		case 1:
			check("Bind", s.Bind(h, ap))
		case 2:
			check("Listen", s.Listen(h, r.IntN(5)-1))
		case 3:
			_, _, e := s.Accept(h)
			check("Accept", e)
		case 4:
			check("Connect", s.Connect(h, ap))
		case 5:
			_, e := s.Send(h, buf[:r.IntN(len(buf))])
			check("Send", e)
		case 6:
			_, e := s.SendTo(h, buf[:r.IntN(2000)], ap)
			check("SendTo", e)
		case 7:
			_, _, e := s.RecvFrom(h, buf[:r.IntN(3000)])
			check("RecvFrom", e)
		case 8:
			check("Shutdown", s.Shutdown(h, How(r.IntN(4))))
		case 9:
			if r.IntN(3) == 0 {
				check("Close", s.Close(h))
			}
		case 10:
			_, e := s.GetSockOpt(h, Opt(r.IntN(12)))
			check("GetSockOpt", e)
		case 11:
			check("SetSockOpt", s.SetSockOpt(h, Opt(r.IntN(12)), r.IntN(1<<22)-1000))
		case 12:
			_, e := s.TCPInfo(h)
			check("TCPInfo", e)
			s.Ready(h)
			s.LocalAddr(h)
			s.RemoteAddr(h)
			s.Netstat()
		case 13:
			if i%50 == 0 {
				s.Reset()
			}
		}
		w.step()
	}
	if seen[OK] < 1000 || len(seen) < 15 {
		t.Fatalf("errnos seen = %v, want at least 1000 OK and 15 kinds (the calls must reach the stack)", seen)
	}
	t.Logf("errnos seen: %v", seen)
}
