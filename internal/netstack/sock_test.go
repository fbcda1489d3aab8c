package netstack

import (
	"bytes"
	"net/netip"
	"testing"
)

func TestUDPEcho(t *testing.T) {
	w := newWire(t, 2, 5, 0)
	a, b := w.stacks[0], w.stacks[1]
	srv := mustSock(t, b, IPv4, UDP)
	if e := b.Bind(srv, netip.AddrPortFrom(netip.IPv4Unspecified(), 7)); e != OK {
		t.Fatalf("Bind(:7) = %v, want OK", e)
	}
	cli := mustSock(t, a, IPv4, UDP)
	msg := []byte("hello, udp")
	if n, e := a.SendTo(cli, msg, hostAddr(2, 7)); n != len(msg) || e != OK {
		t.Fatalf("SendTo() = %d, %v, want %d, OK", n, e, len(msg))
	}
	buf := make([]byte, 100)
	var echoed []byte
	var from netip.AddrPort
	w.run(10e9, func() bool {
		if n, src, e := b.RecvFrom(srv, buf); e == OK {
			from = src
			if _, e := b.SendTo(srv, buf[:n], src); e != OK {
				t.Fatalf("SendTo(echo) = %v, want OK", e)
			}
		}
		if n, e := a.Recv(cli, buf); e == OK {
			echoed = append([]byte(nil), buf[:n]...)
		}
		return echoed != nil
	})
	if !bytes.Equal(echoed, msg) {
		t.Fatalf("echo = %q, want %q", echoed, msg)
	}
	local, _ := a.LocalAddr(cli)
	if from.Addr() != hostAddr(1, 0).Addr() || from.Port() != local.Port() {
		t.Fatalf("server saw source %v, want 10.0.0.1:%d", from, local.Port())
	}
	if st := b.Stats(); st.UDP.PacketsReceived != 1 || st.UDP.PacketsSent != 1 {
		t.Fatalf("server UDP stats = %+v, want 1 received, 1 sent", st.UDP)
	}
}

// echoRequest is an ICMP echo request with sequence seq and data.
func echoRequest(seq uint16, data string) []byte {
	return append([]byte{8, 0, 0, 0, 0, 0, byte(seq >> 8), byte(seq)}, data...)
}

func TestPing(t *testing.T) {
	w := newWire(t, 2, 6, 0)
	a, b := w.stacks[0], w.stacks[1]
	p := mustSock(t, a, IPv4, ICMP)
	if n, e := a.SendTo(p, echoRequest(1, "ping!"), hostAddr(2, 0)); n != 13 || e != OK {
		t.Fatalf("SendTo(echo request) = %d, %v, want 13, OK", n, e)
	}
	buf := make([]byte, 100)
	var reply []byte
	var from netip.AddrPort
	w.run(10e9, func() bool {
		if n, src, e := a.RecvFrom(p, buf); e == OK {
			reply, from = append([]byte(nil), buf[:n]...), src
		}
		return reply != nil
	})
	if len(reply) != 13 || reply[0] != 0 || string(reply[8:]) != "ping!" || reply[7] != 1 {
		t.Fatalf("reply = %x, want an echo reply (type 0) seq 1 with data \"ping!\"", reply)
	}
	if from.Addr() != hostAddr(2, 0).Addr() {
		t.Fatalf("reply from %v, want 10.0.0.2", from.Addr())
	}
	if st := b.Stats(); st.ICMP.EchoRequestsReceived != 1 || st.ICMP.EchoRepliesSent != 1 {
		t.Fatalf("responder ICMP stats = %+v, want 1 request in, 1 reply out", st.ICMP)
	}
}

// connectPair connects a client on host ca to a listener on host la (port
// 80) and returns the listener, client and accepted server sockets.
func connectPair(t *testing.T, w *wire, ca, la int, to netip.AddrPort) (lis, cli, srv Sock) {
	t.Helper()
	a, b := w.stacks[ca-1], w.stacks[la-1]
	lis = listen(t, b, to.Port())
	cli = mustSock(t, a, IPv4, TCP)
	if e := a.Connect(cli, to); e != EINPROGRESS && e != OK {
		t.Fatalf("Connect(%v) = %v, want EINPROGRESS", to, e)
	}
	w.run(10e9, func() bool {
		if srv == 0 {
			if h, _, e := b.Accept(lis); e == OK {
				srv = h
			}
		}
		return srv != 0 && a.Ready(cli)&EventOut != 0
	})
	if e := a.SockError(cli); e != OK {
		t.Fatalf("SockError() after connect = %v, want OK", e)
	}
	return lis, cli, srv
}

func TestLoopbackConnect(t *testing.T) {
	cases := []struct {
		name string
		to   netip.AddrPort
	}{
		{"127.0.0.1", netip.MustParseAddrPort("127.0.0.1:80")},
		{"own address", hostAddr(1, 80)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWire(t, 1, 8, 0)
			s := w.stacks[0]
			_, cli, srv := connectPair(t, w, 1, 1, c.to)
			if n, e := s.Send(cli, []byte("over lo")); n != 7 || e != OK {
				t.Fatalf("Send() = %d, %v, want 7, OK", n, e)
			}
			buf := make([]byte, 16)
			n, e := s.Recv(srv, buf)
			if e != OK || string(buf[:n]) != "over lo" {
				t.Fatalf("Recv() = %q, %v, want \"over lo\", OK", buf[:n], e)
			}
			if len(w.trace) != 0 {
				t.Fatalf("%d frames on the wire, want none for local traffic", len(w.trace))
			}
		})
	}
}

// TestChanged: a socket whose state changes (a datagram arrives) is named
// once by Changed; a quiet one is not.
func TestChanged(t *testing.T) {
	w := newWire(t, 2, 17, 0)
	a, b := w.stacks[0], w.stacks[1]
	quiet := mustSock(t, b, IPv4, UDP)
	b.Bind(quiet, hostAddr(2, 8))
	srv := mustSock(t, b, IPv4, UDP)
	b.Bind(srv, hostAddr(2, 7))
	b.Changed()
	cli := mustSock(t, a, IPv4, UDP)
	a.SendTo(cli, []byte("x"), hostAddr(2, 7))
	w.run(10e9, func() bool { return b.Ready(srv)&EventIn != 0 })
	if got := b.Changed(); len(got) != 1 || got[0] != srv {
		t.Fatalf("Changed() = %v, want [%d]", got, srv)
	}
	if got := b.Changed(); len(got) != 0 {
		t.Fatalf("second Changed() = %v, want []", got)
	}
}

// TestUDPTruncates: a datagram longer than the buffer is cut to it and the
// rest dropped; the next Recv gets the next datagram, even after an empty
// buffer took one whole.
func TestUDPTruncates(t *testing.T) {
	s, err := New(hostConfig(1, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Destroy()
	u := mustSock(t, s, IPv4, UDP)
	s.Bind(u, netip.MustParseAddrPort("127.0.0.1:9"))
	for _, m := range []string{"first datagram", "second", "third"} {
		if _, e := s.SendTo(u, []byte(m), netip.MustParseAddrPort("127.0.0.1:9")); e != OK {
			t.Fatalf("SendTo(%q) = %v, want OK", m, e)
		}
	}
	cases := []struct {
		name    string
		bufSize int
		want    string
	}{
		{"cut to 5 bytes", 5, "first"},
		{"empty buffer takes a whole datagram", 0, ""},
		{"the next one whole", 16, "third"},
	}
	for _, c := range cases {
		buf := make([]byte, c.bufSize)
		n, e := s.Recv(u, buf)
		if e != OK || string(buf[:n]) != c.want {
			t.Fatalf("%s: Recv() = %q, %v, want %q, OK", c.name, buf[:n], e, c.want)
		}
	}
	if _, e := s.Recv(u, make([]byte, 8)); e != EAGAIN {
		t.Fatalf("Recv() on an empty queue = %v, want EAGAIN", e)
	}
}
