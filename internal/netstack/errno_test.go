package netstack

import (
	"net/netip"
	"testing"
)

// TestErrnoPaths drives each error a program can meet and checks the Linux
// errno it gets.
func TestErrnoPaths(t *testing.T) {
	any80 := netip.AddrPortFrom(netip.IPv4Unspecified(), 80)
	cases := []struct {
		name string
		// do runs on host 1 of a two-host wire and returns the errno seen.
		do   func(t *testing.T, w *wire, a *Stack) Errno
		want Errno
	}{
		{"connect to a closed port", func(t *testing.T, w *wire, a *Stack) Errno {
			c := mustSock(t, a, IPv4, TCP)
			a.Connect(c, hostAddr(2, 9))
			w.run(10e9, func() bool { return a.Ready(c)&EventErr != 0 })
			return a.SockError(c)
		}, ECONNREFUSED},
		{"recv after connect refused", func(t *testing.T, w *wire, a *Stack) Errno {
			c := mustSock(t, a, IPv4, TCP)
			a.Connect(c, hostAddr(2, 9))
			w.run(10e9, func() bool { return a.Ready(c)&EventErr != 0 })
			_, e := a.Recv(c, make([]byte, 8))
			return e
		}, ECONNREFUSED},
		{"connect to a host that does not answer ARP", func(t *testing.T, w *wire, a *Stack) Errno {
			c := mustSock(t, a, IPv4, TCP)
			a.Connect(c, hostAddr(9, 80))
			w.run(120e9, func() bool { return a.Ready(c)&EventErr != 0 })
			return a.SockError(c)
		}, EHOSTUNREACH},
		{"connect off the subnet without a gateway", func(t *testing.T, w *wire, a *Stack) Errno {
			return a.Connect(mustSock(t, a, IPv4, TCP), netip.MustParseAddrPort("192.168.1.1:80"))
		}, ENETUNREACH},
		{"connect while connecting", func(t *testing.T, w *wire, a *Stack) Errno {
			c := mustSock(t, a, IPv4, TCP)
			a.Connect(c, hostAddr(2, 80))
			return a.Connect(c, hostAddr(2, 80))
		}, EALREADY},
		{"connect again once connected", func(t *testing.T, w *wire, a *Stack) Errno {
			// As on Linux, the first connect after a non-blocking one
			// completed reports success; later ones EISCONN.
			_, c, _ := connectPair(t, w, 1, 2, hostAddr(2, 80))
			if e := a.Connect(c, hostAddr(2, 80)); e != OK {
				t.Fatalf("first Connect() after completion = %v, want OK", e)
			}
			return a.Connect(c, hostAddr(2, 80))
		}, EISCONN},
		{"connect an IPv4 socket to an IPv6 address", func(t *testing.T, w *wire, a *Stack) Errno {
			return a.Connect(mustSock(t, a, IPv4, TCP), netip.MustParseAddrPort("[fd00::2]:80"))
		}, EAFNOSUPPORT},
		{"connect to no address", func(t *testing.T, w *wire, a *Stack) Errno {
			return a.Connect(mustSock(t, a, IPv4, TCP), netip.AddrPort{})
		}, EINVAL},
		{"send on an unconnected TCP socket", func(t *testing.T, w *wire, a *Stack) Errno {
			_, e := a.Send(mustSock(t, a, IPv4, TCP), []byte("x"))
			return e
		}, EPIPE},
		{"recv on an unconnected TCP socket", func(t *testing.T, w *wire, a *Stack) Errno {
			_, e := a.Recv(mustSock(t, a, IPv4, TCP), make([]byte, 8))
			return e
		}, ENOTCONN},
		{"send after shutdown of writing", func(t *testing.T, w *wire, a *Stack) Errno {
			_, c, _ := connectPair(t, w, 1, 2, hostAddr(2, 80))
			a.Shutdown(c, ShutWr)
			_, e := a.Send(c, []byte("x"))
			return e
		}, EPIPE},
		{"recv with nothing there", func(t *testing.T, w *wire, a *Stack) Errno {
			_, c, _ := connectPair(t, w, 1, 2, hostAddr(2, 80))
			_, e := a.Recv(c, make([]byte, 8))
			return e
		}, EAGAIN},
		{"shutdown an unconnected socket", func(t *testing.T, w *wire, a *Stack) Errno {
			return a.Shutdown(mustSock(t, a, IPv4, TCP), ShutRdWr)
		}, ENOTCONN},
		{"shutdown with a bad how", func(t *testing.T, w *wire, a *Stack) Errno {
			return a.Shutdown(mustSock(t, a, IPv4, TCP), 7)
		}, EINVAL},
		{"bind to an address not ours", func(t *testing.T, w *wire, a *Stack) Errno {
			return a.Bind(mustSock(t, a, IPv4, TCP), hostAddr(2, 80))
		}, EADDRNOTAVAIL},
		{"bind twice", func(t *testing.T, w *wire, a *Stack) Errno {
			c := mustSock(t, a, IPv4, TCP)
			a.Bind(c, any80)
			return a.Bind(c, netip.AddrPortFrom(netip.IPv4Unspecified(), 81))
		}, EINVAL},
		{"bind a port in use", func(t *testing.T, w *wire, a *Stack) Errno {
			listen(t, a, 80)
			return a.Bind(mustSock(t, a, IPv4, TCP), any80)
		}, EADDRINUSE},
		{"listen on UDP", func(t *testing.T, w *wire, a *Stack) Errno {
			return a.Listen(mustSock(t, a, IPv4, UDP), 1)
		}, EOPNOTSUPP},
		{"accept on a socket not listening", func(t *testing.T, w *wire, a *Stack) Errno {
			_, _, e := a.Accept(mustSock(t, a, IPv4, TCP))
			return e
		}, EINVAL},
		{"accept with no connection waiting", func(t *testing.T, w *wire, a *Stack) Errno {
			_, _, e := a.Accept(listen(t, a, 80))
			return e
		}, EAGAIN},
		{"socket of an unknown family", func(t *testing.T, w *wire, a *Stack) Errno {
			_, e := a.Socket(9, TCP)
			return e
		}, EAFNOSUPPORT},
		{"IPv6 socket on an IPv4-only stack", func(t *testing.T, w *wire, a *Stack) Errno {
			_, e := a.Socket(IPv6, TCP)
			return e
		}, EAFNOSUPPORT},
		{"socket of an unknown protocol", func(t *testing.T, w *wire, a *Stack) Errno {
			_, e := a.Socket(IPv4, 99)
			return e
		}, EPROTONOSUPPORT},
		{"UDP send with no destination", func(t *testing.T, w *wire, a *Stack) Errno {
			_, e := a.Send(mustSock(t, a, IPv4, UDP), []byte("x"))
			return e
		}, EDESTADDRREQ},
		{"UDP datagram over 64 KiB", func(t *testing.T, w *wire, a *Stack) Errno {
			_, e := a.SendTo(mustSock(t, a, IPv4, UDP), make([]byte, 70000), hostAddr(2, 7))
			return e
		}, EMSGSIZE},
		{"close an unknown handle", func(t *testing.T, w *wire, a *Stack) Errno {
			return a.Close(77)
		}, EBADF},
		{"close twice", func(t *testing.T, w *wire, a *Stack) Errno {
			c := mustSock(t, a, IPv4, TCP)
			a.Close(c)
			return a.Close(c)
		}, EBADF},
		{"send on an unknown handle", func(t *testing.T, w *wire, a *Stack) Errno {
			_, e := a.Send(77, []byte("x"))
			return e
		}, EBADF},
		{"unknown socket option", func(t *testing.T, w *wire, a *Stack) Errno {
			_, e := a.GetSockOpt(mustSock(t, a, IPv4, TCP), 200)
			return e
		}, ENOPROTOOPT},
		{"TCP_NODELAY on UDP", func(t *testing.T, w *wire, a *Stack) Errno {
			return a.SetSockOpt(mustSock(t, a, IPv4, UDP), TCPNoDelay, 1)
		}, ENOPROTOOPT},
		{"set a read-only option", func(t *testing.T, w *wire, a *Stack) Errno {
			return a.SetSockOpt(mustSock(t, a, IPv4, TCP), SOType, 2)
		}, EINVAL},
		{"TCPInfo on UDP", func(t *testing.T, w *wire, a *Stack) Errno {
			_, e := a.TCPInfo(mustSock(t, a, IPv4, UDP))
			return e
		}, EOPNOTSUPP},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWire(t, 2, 11, 0)
			if got := c.do(t, w, w.stacks[0]); got != c.want {
				t.Fatalf("errno = %v, want %v", got, c.want)
			}
		})
	}
}

// TestErrnosListed: every errno the table above expects is in Errnos, the
// set the net server declares.
func TestErrnosListed(t *testing.T) {
	listed := map[Errno]bool{}
	for _, e := range Errnos {
		if e == OK || listed[e] {
			t.Fatalf("Errnos has %v twice or OK", e)
		}
		listed[e] = true
		if e.Error() == "errno "+e.Error() {
			t.Fatalf("Errno(%d) has no name", e)
		}
	}
	for _, e := range []Errno{ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EALREADY, EISCONN, EAFNOSUPPORT,
		EINVAL, EPIPE, ENOTCONN, EAGAIN, EADDRNOTAVAIL, EADDRINUSE, EOPNOTSUPP, EPROTONOSUPPORT,
		EDESTADDRREQ, EMSGSIZE, EBADF, ENOPROTOOPT, ECONNRESET, EINPROGRESS} {
		if !listed[e] {
			t.Fatalf("Errnos lacks %v", e)
		}
	}
	if got := Errno(999).Error(); got != "errno 999" {
		t.Fatalf("Errno(999).Error() = %q, want \"errno 999\"", got)
	}
}
