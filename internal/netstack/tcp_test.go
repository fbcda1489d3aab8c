package netstack

import (
	"bytes"
	"math/rand/v2"
	"net/netip"
	"testing"
)

// payload returns n seeded bytes.
func payload(n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	_, _ = r.Read(b)
	return b
}

// mustSock opens a socket or fails.
func mustSock(t testing.TB, s *Stack, f Family, p Proto) Sock {
	t.Helper()
	h, e := s.Socket(f, p)
	if e != OK {
		t.Fatalf("Socket(%v, %v) = %v, want OK", f, p, e)
	}
	return h
}

// listen opens a TCP listener on every address of s, port port.
func listen(t testing.TB, s *Stack, port uint16) Sock {
	t.Helper()
	l := mustSock(t, s, IPv4, TCP)
	if e := s.Bind(l, netip.AddrPortFrom(netip.IPv4Unspecified(), port)); e != OK {
		t.Fatalf("Bind(:%d) = %v, want OK", port, e)
	}
	if e := s.Listen(l, 8); e != OK {
		t.Fatalf("Listen() = %v, want OK", e)
	}
	return l
}

// transfer is a one-way bulk TCP transfer driven from wire events: the
// client connects, writes data as room frees, then shuts down writing; the
// server accepts and reads to the end of stream.
type transfer struct {
	t         testing.TB
	a, b      *Stack
	cli, srv  Sock
	lis       Sock
	data, got []byte
	sent      int
	shut, eof bool
	buf       []byte
}

func newTransfer(t testing.TB, w *wire, n int, seed uint64) *transfer {
	return newTransferTo(t, w.stacks[0], w.stacks[1], hostAddr(2, 80), n, seed)
}

// newTransferTo starts a transfer from a to b's listener at to.
func newTransferTo(t testing.TB, a, b *Stack, to netip.AddrPort, n int, seed uint64) *transfer {
	x := &transfer{t: t, a: a, b: b, data: payload(n, seed), buf: make([]byte, 64<<10)}
	x.lis = listen(t, x.b, to.Port())
	x.cli = mustSock(t, x.a, IPv4, TCP)
	if e := x.a.Connect(x.cli, to); e != EINPROGRESS {
		t.Fatalf("Connect() = %v, want EINPROGRESS", e)
	}
	return x
}

// step does what the two programs can do now; it reports the transfer done.
func (x *transfer) step() bool {
	if x.srv == 0 {
		if h, _, e := x.b.Accept(x.lis); e == OK {
			x.srv = h
		} else if e != EAGAIN {
			x.t.Fatalf("Accept() = %v, want OK or EAGAIN", e)
		}
	}
	for x.sent < len(x.data) && x.a.Ready(x.cli)&EventOut != 0 {
		n, e := x.a.Send(x.cli, x.data[x.sent:])
		if e == EAGAIN {
			break
		}
		if e != OK {
			x.t.Fatalf("Send() = %v, want OK", e)
		}
		x.sent += n
	}
	if x.sent == len(x.data) && !x.shut {
		if e := x.a.Shutdown(x.cli, ShutWr); e != OK {
			x.t.Fatalf("Shutdown() = %v, want OK", e)
		}
		x.shut = true
	}
	for x.srv != 0 && !x.eof {
		n, e := x.b.Recv(x.srv, x.buf)
		if e == EAGAIN {
			break
		}
		if e != OK {
			x.t.Fatalf("Recv() = %v, want OK", e)
		}
		if n == 0 {
			x.eof = true
		}
		x.got = append(x.got, x.buf[:n]...)
	}
	return x.eof
}

func TestTCPTransferIntact(t *testing.T) {
	cases := []struct {
		name    string
		size    int
		lossPct int
		seed    uint64
	}{
		{"1MiB clean", 1 << 20, 0, 1},
		{"1MiB 5% loss", 1 << 20, 5, 2},
		{"64KiB 20% loss", 64 << 10, 20, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWire(t, 2, c.seed, c.lossPct)
			x := newTransfer(t, w, c.size, c.seed)
			w.run(600e9, x.step)
			if !bytes.Equal(x.got, x.data) {
				t.Fatalf("received %d bytes, want the %d sent intact", len(x.got), len(x.data))
			}
			if c.lossPct > 0 {
				if w.dropped == 0 {
					t.Fatalf("dropped = 0, want some frames lost")
				}
				if st := x.a.Stats(); st.TCP.Retransmits == 0 {
					t.Fatalf("Stats().TCP.Retransmits = 0, want > 0 with %d%% loss", c.lossPct)
				}
			}
			t.Logf("%d frames, %d dropped, %.3f s virtual", len(w.trace), w.dropped, float64(w.nowNs)/1e9)
		})
	}
}
