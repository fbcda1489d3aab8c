package netcmd

import (
	"fmt"
	"net/netip"

	"github.com/mkos/mkos/ipc/linux"
)

// nc [-u] [-v] [-z] [-w SECS] HOST PORT connects to HOST's PORT;
// nc -l [-u] [-v] [-w SECS] [-p] PORT waits for one peer on PORT. Both
// then copy the standard input to the socket and the socket to the
// standard output, waiting on both with PollFds, as OpenBSD's netcat.
// The end of the input shuts the TCP connection's sending half and nc
// goes on reading until the peer closes; with -u it waits SECS (1) more
// for replies, then ends (status 0). -w SECS also ends a TCP connection
// or a wait for a peer that is idle that long (status 1); -z connects
// and closes at once (a port check).
func nc(c *Cmd, args []string) int {
	const usage = "[-u] [-v] [-z] [-w SECS] HOST PORT | nc -l [-u] [-v] [-w SECS] [-p] PORT"
	opts, rest, err := options(args, "luvzw:p")
	if err != nil {
		return c.usage(usage)
	}
	n := &netcat{Cmd: c, udp: has(opts, 'u'), verbose: has(opts, 'v'), idleNs: -1}
	if v, ok := opts['w']; ok {
		if n.idleNs, err = seconds(v); err != nil || n.idleNs == 0 {
			c.errorf("invalid timeout %q", v)
			return 2
		}
	}
	if has(opts, 'l') {
		if len(rest) != 1 {
			return c.usage(usage)
		}
		p, err := port(rest[0], false)
		if err != nil {
			c.errorf("%v", err)
			return 2
		}
		return n.listen(p)
	}
	if len(rest) != 2 {
		return c.usage(usage)
	}
	p, err := port(rest[1], false)
	if err != nil {
		c.errorf("%v", err)
		return 2
	}
	addr, err := c.resolve(rest[0])
	if err != nil {
		c.errorf("%v", err)
		return 2
	}
	return n.connect(rest[0], netip.AddrPortFrom(addr, p), has(opts, 'z'))
}

// netcat is one nc run.
type netcat struct {
	*Cmd
	udp, verbose bool
	idleNs       int64          // -w, or -1
	sock         int            // the connected (or UDP) socket
	peer         netip.AddrPort // a UDP listener's peer, once one wrote
}

// proto names the transport in messages.
func (n *netcat) proto() string {
	if n.udp {
		return "udp"
	}
	return "tcp"
}

// socket makes the socket nc needs.
func (n *netcat) socket() (int, error) {
	typ := linux.SOCK_STREAM
	if n.udp {
		typ = linux.SOCK_DGRAM
	}
	return n.Socket(linux.AF_INET, typ, 0)
}

// connect connects to host at a and copies.
func (n *netcat) connect(host string, a netip.AddrPort, zero bool) int {
	fd, err := n.socket()
	if err != nil {
		n.errorf("socket: %s", errText(err))
		return 1
	}
	defer n.Close(fd)
	if err := n.Connect(fd, a); err != nil {
		n.errorf("connect to %s port %d (%s) failed: %s", host, a.Port(), n.proto(), errText(err))
		return 1
	}
	if n.verbose {
		n.note(fmt.Sprintf("Connection to %s %d port [%s] succeeded!", host, a.Port(), n.proto()))
	}
	if zero {
		return 0
	}
	n.sock, n.peer = fd, a
	return n.copy()
}

// listen waits for a peer on port p and copies.
func (n *netcat) listen(p uint16) int {
	fd, err := n.socket()
	if err != nil {
		n.errorf("socket: %s", errText(err))
		return 1
	}
	defer n.Close(fd)
	if err := n.Bind(fd, netip.AddrPortFrom(netip.IPv4Unspecified(), p)); err != nil {
		n.errorf("bind to port %d (%s): %s", p, n.proto(), errText(err))
		return 1
	}
	if n.verbose {
		n.note(fmt.Sprintf("Listening on 0.0.0.0 %d", p))
	}
	if n.udp {
		n.sock = fd
		return n.copy()
	}
	if err := n.Listen(fd, 1); err != nil {
		n.errorf("listen on port %d: %s", p, errText(err))
		return 1
	}
	if !n.wait(fd, linux.POLLIN, "waiting for a connection on port %d", p) {
		return 1
	}
	conn, from, err := n.Accept(fd)
	if err != nil {
		n.errorf("accept on port %d: %s", p, errText(err))
		return 1
	}
	defer n.Close(conn)
	if n.verbose {
		n.note(fmt.Sprintf("Connection received on %s %d", from.Addr(), from.Port()))
	}
	n.sock = conn
	return n.copy()
}

// wait waits for fd to be ready for events, at most -w; a timeout or an
// error is reported, what naming what nc waited for.
func (n *netcat) wait(fd int, events int16, what string, args ...any) bool {
	_, err := n.PollFds([]PollFd{{Fd: fd, Events: events}}, n.idleNs)
	switch {
	case err != nil:
		n.errorf("%s: %s", fmt.Sprintf(what, args...), errText(err))
		return false
	case n.idleNs >= 0 && n.readyNone(fd, events):
		n.errorf("%s: timed out after %ss", fmt.Sprintf(what, args...), secondsString(n.idleNs))
		return false
	}
	return true
}

// readyNone polls fd once without waiting and reports whether nothing is
// ready.
func (n *netcat) readyNone(fd int, events int16) bool {
	k, err := n.PollFds([]PollFd{{Fd: fd, Events: events}}, 0)
	return err == nil && k == 0
}

// note writes a -v message to the standard error.
func (n *netcat) note(s string) { _, _ = writeAll(n.System, 2, []byte(s+"\n")) }

// secondsString renders nanoseconds as seconds.
func secondsString(ns int64) string { return fmt.Sprintf("%g", float64(ns)/1e9) }
