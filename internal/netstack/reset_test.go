package netstack

import (
	"slices"
	"strings"
	"testing"
)

// TestResetPeerSeesReset: Reset (the net server's crash) aborts every
// connection, so the peer's next Recv and Send fail with ECONNRESET; the
// stack takes new connections after.
func TestResetPeerSeesReset(t *testing.T) {
	w := newWire(t, 2, 12, 0)
	a, b := w.stacks[0], w.stacks[1]
	_, cli, srv := connectPair(t, w, 1, 2, hostAddr(2, 80))
	b.Reset()
	if got := b.Netstat(); len(got) != 0 {
		t.Fatalf("Netstat() after Reset = %v, want no sockets", got)
	}
	w.run(10e9, func() bool { return a.Ready(cli)&EventErr != 0 })
	if _, e := a.Recv(cli, make([]byte, 8)); e != ECONNRESET {
		t.Fatalf("peer Recv() after Reset = %v, want ECONNRESET", e)
	}
	if _, e := a.Send(cli, []byte("x")); e != EPIPE {
		t.Fatalf("peer Send() after the reset was read = %v, want EPIPE", e)
	}
	if _, e := b.Recv(srv, make([]byte, 8)); e != EBADF {
		t.Fatalf("Recv() on a handle Reset closed = %v, want EBADF", e)
	}
	if st := b.Stats(); st.TCP.ResetsSent == 0 {
		t.Fatalf("Stats().TCP.ResetsSent = 0, want > 0")
	}
	// The restarted server listens again and a new connection works.
	connectPair(t, w, 1, 2, hostAddr(2, 80))
}

// TestCloseListener: closing a listener resets the connection it had not
// yet handed out, and the port then refuses connections.
func TestCloseListener(t *testing.T) {
	w := newWire(t, 2, 13, 0)
	a, b := w.stacks[0], w.stacks[1]
	lis := listen(t, b, 80)
	c1 := mustSock(t, a, IPv4, TCP)
	a.Connect(c1, hostAddr(2, 80))
	w.run(10e9, func() bool { return a.Ready(c1)&EventOut != 0 })
	if e := b.Close(lis); e != OK {
		t.Fatalf("Close(listener) = %v, want OK", e)
	}
	w.run(10e9, func() bool { return a.Ready(c1)&EventErr != 0 })
	if _, e := a.Recv(c1, make([]byte, 8)); e != ECONNRESET {
		t.Fatalf("Recv() on a connection the closed listener held = %v, want ECONNRESET", e)
	}
	c2 := mustSock(t, a, IPv4, TCP)
	a.Connect(c2, hostAddr(2, 80))
	w.run(10e9, func() bool { return a.Ready(c2)&EventErr != 0 })
	if e := a.SockError(c2); e != ECONNREFUSED {
		t.Fatalf("SockError() connecting to the closed port = %v, want ECONNREFUSED", e)
	}
}

// TestGracefulClose: a Close after sending delivers everything, then the
// end of stream, and both sides leave netstat's ESTABLISHED.
func TestGracefulClose(t *testing.T) {
	w := newWire(t, 2, 14, 0)
	a, b := w.stacks[0], w.stacks[1]
	_, cli, srv := connectPair(t, w, 1, 2, hostAddr(2, 80))
	a.Send(cli, []byte("bye"))
	a.Close(cli)
	var got []byte
	eof := false
	buf := make([]byte, 8)
	w.run(10e9, func() bool {
		for !eof {
			n, e := b.Recv(srv, buf)
			if e != OK {
				break
			}
			eof = n == 0
			got = append(got, buf[:n]...)
		}
		return eof
	})
	if string(got) != "bye" {
		t.Fatalf("received %q, want \"bye\" then end of stream", got)
	}
	if got := states(b); !slices.Equal(got, []string{"LISTEN", "CLOSE_WAIT"}) {
		t.Fatalf("server states = %v, want [LISTEN CLOSE_WAIT]", got)
	}
	b.Close(srv)
	w.run(10e9, func() bool { return len(states(b)) == 1 })
}

func states(s *Stack) []string {
	var out []string
	for _, i := range s.Netstat() {
		out = append(out, i.State)
	}
	return out
}

func TestNetstatAndTCPInfo(t *testing.T) {
	w := newWire(t, 2, 15, 0)
	a, b := w.stacks[0], w.stacks[1]
	u := mustSock(t, b, IPv4, UDP)
	b.Bind(u, hostAddr(2, 53))
	lis, cli, srv := connectPair(t, w, 1, 2, hostAddr(2, 80))
	a.Send(cli, []byte("12345"))
	w.run(10e9, func() bool { return b.Ready(srv)&EventIn != 0 })
	var lines []string
	for _, i := range b.Netstat() {
		lines = append(lines, strings.Join(strings.Fields(i.String()), " "))
	}
	local, _ := a.LocalAddr(cli)
	want := []string{
		"udp 0 0 10.0.0.2:53 *:*",
		"tcp 0 0 0.0.0.0:80 *:* LISTEN",
		"tcp 5 0 10.0.0.2:80 " + local.String() + " ESTABLISHED",
	}
	if !slices.Equal(lines, want) {
		t.Fatalf("Netstat() =\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	info, e := a.TCPInfo(cli)
	if e != OK || info.State != "ESTABLISHED" || info.CwndSegs < 1 || info.RTTNs <= 0 || info.CcState != "open" {
		t.Fatalf("TCPInfo() = %+v, %v, want ESTABLISHED, cwnd >= 1, RTT > 0, open", info, e)
	}
	if v, e := a.GetSockOpt(cli, SOType); v != 1 || e != OK {
		t.Fatalf("GetSockOpt(SOType) = %d, %v, want 1, OK", v, e)
	}
	if e := a.SetSockOpt(cli, TCPNoDelay, 1); e != OK {
		t.Fatalf("SetSockOpt(TCPNoDelay, 1) = %v, want OK", e)
	}
	if v, _ := a.GetSockOpt(cli, TCPNoDelay); v != 1 {
		t.Fatalf("GetSockOpt(TCPNoDelay) = %d, want 1", v)
	}
	if v, _ := b.GetSockOpt(lis, SOAcceptConn); v != 1 {
		t.Fatalf("GetSockOpt(listener, SOAcceptConn) = %d, want 1", v)
	}
}

// TestProbesTrackCwnd: with probing on, a lossy transfer logs the sender's
// congestion window growing in slow start and falling after a loss.
func TestProbesTrackCwnd(t *testing.T) {
	w := newWire(t, 2, 16, 3)
	w.stacks[0].SetProbing(true)
	x := newTransfer(t, w, 512<<10, 16)
	w.run(600e9, x.step)
	log, dropped := w.stacks[0].Probes()
	if len(log) == 0 || dropped != 0 {
		t.Fatalf("Probes() = %d records, %d dropped, want some and none dropped", len(log), dropped)
	}
	peak, fell := 0, false
	last := int64(0)
	for _, p := range log {
		if p.AtNs < last {
			t.Fatalf("probe at %d after one at %d, want time order", p.AtNs, last)
		}
		last = p.AtNs
		peak = max(peak, p.CwndSegs)
		fell = fell || p.CwndSegs < peak/2+1 && peak > 10
	}
	if peak <= 10 || !fell {
		t.Fatalf("cwnd peaked at %d segments, fell=%v; want growth past 10 and a fall after loss", peak, fell)
	}
	if again, _ := w.stacks[0].Probes(); len(again) != 0 {
		t.Fatalf("second Probes() = %d records, want 0", len(again))
	}
}

// TestNetstatShowsTimeWait: the side that closes first keeps its
// connection in TIME_WAIT (shown with Sock 0) until the timer ends it.
func TestNetstatShowsTimeWait(t *testing.T) {
	w := newWire(t, 2, 18, 0)
	a, b := w.stacks[0], w.stacks[1]
	_, cli, srv := connectPair(t, w, 1, 2, hostAddr(2, 80))
	a.Close(cli)
	w.run(10e9, func() bool { return b.Ready(srv)&EventIn != 0 })
	b.Close(srv)
	w.run(10e9, func() bool {
		ns := a.Netstat()
		return len(ns) == 1 && ns[0].State == "TIME_WAIT"
	})
	if got := a.Netstat()[0]; got.Sock != 0 || got.Remote != hostAddr(2, 80) {
		t.Fatalf("TIME_WAIT line = %+v, want Sock 0 and remote 10.0.0.2:80", got)
	}
	start := w.nowNs
	w.run(600e9, func() bool { return len(a.Netstat()) == 0 })
	if d := w.nowNs - start; d < 1e9 {
		t.Fatalf("TIME_WAIT ended after %d ns, want it to last (seconds)", d)
	}
}
