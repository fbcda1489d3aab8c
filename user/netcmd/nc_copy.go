package netcmd

import (
	"errors"
	"net/netip"

	"github.com/mkos/mkos/ipc/linux"
)

// errShortSend is a send that took nothing and reported no error.
var errShortSend = errors.New("short send")

// copy moves bytes both ways until the peer closes (TCP), the input ends
// and the wait after it passes (UDP), an error, or -w of idleness.
func (n *netcat) copy() int {
	buf := make([]byte, 16<<10)
	stdinOpen := true
	for {
		fds := []PollFd{{Fd: n.sock, Events: linux.POLLIN}}
		if stdinOpen && (!n.udp || n.peer.IsValid()) {
			fds = append(fds, PollFd{Fd: 0, Events: linux.POLLIN})
		}
		timeout := n.idleNs
		if !stdinOpen && n.udp && timeout < 0 {
			timeout = 1e9
		}
		k, err := n.PollFds(fds, timeout)
		if err != nil {
			n.errorf("poll: %s", errText(err))
			return 1
		}
		if k == 0 {
			if !stdinOpen && n.udp {
				return 0 // the wait after the input's end is over
			}
			n.errorf("connection idle for %ss: timed out", secondsString(timeout))
			return 1
		}
		if fds[0].Revents != 0 {
			done, status := n.fromSocket(buf)
			if done {
				return status
			}
		}
		if len(fds) > 1 && fds[1].Revents != 0 {
			var status int
			stdinOpen, status = n.fromStdin(buf)
			if status != 0 {
				return status
			}
		}
	}
}

// fromSocket copies what the socket has to the standard output; done is
// true when the peer closed or an error ended the copy.
func (n *netcat) fromSocket(buf []byte) (done bool, status int) {
	var k int
	var err error
	if n.udp {
		k, n.peer, err = n.recvFromPeer(buf)
	} else {
		k, err = n.Recv(n.sock, buf)
	}
	if err != nil {
		n.errorf("read from %s: %s", n.peerName(), errText(err))
		return true, 1
	}
	if k == 0 && !n.udp {
		return true, 0
	}
	if _, err := writeAll(n.System, 1, buf[:k]); err != nil {
		n.errorf("write: %s", errText(err))
		return true, 1
	}
	return false, 0
}

// recvFromPeer receives a datagram; the first sender becomes a UDP
// listener's peer (a client's stays the one it connected to).
func (n *netcat) recvFromPeer(buf []byte) (int, netip.AddrPort, error) {
	k, from, err := n.RecvFrom(n.sock, buf)
	if err != nil || n.peer.IsValid() {
		return k, n.peer, err
	}
	return k, from, nil
}

// fromStdin copies what the standard input has to the socket; open is
// false once the input ended, when a TCP connection's sending half is
// shut.
func (n *netcat) fromStdin(buf []byte) (open bool, status int) {
	k, err := n.Read(0, buf)
	if err != nil {
		n.errorf("read from standard input: %s", errText(err))
		return false, 1
	}
	if k == 0 {
		if !n.udp {
			if err := n.Shutdown(n.sock, linux.SHUT_WR); err != nil {
				n.errorf("shutdown to %s: %s", n.peerName(), errText(err))
				return false, 1
			}
		}
		return false, 0
	}
	if n.udp {
		_, err = n.SendTo(n.sock, buf[:k], n.peer)
	} else {
		_, err = sendAll(n.System, n.sock, buf[:k])
	}
	if err != nil {
		n.errorf("write to %s: %s", n.peerName(), errText(err))
		return false, 1
	}
	return true, 0
}

// peerName names the peer in messages.
func (n *netcat) peerName() string {
	if !n.peer.IsValid() {
		return "the socket"
	}
	return n.peer.String()
}

// sendAll sends all of b on socket fd.
func sendAll(s System, fd int, b []byte) (int, error) {
	done := 0
	for done < len(b) {
		k, err := s.Send(fd, b[done:])
		done += k
		if err != nil {
			return done, err
		}
		if k == 0 {
			return done, errShortSend
		}
	}
	return done, nil
}
