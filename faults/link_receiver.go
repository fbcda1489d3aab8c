package faults

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"net/netip"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/user/ulib"
)

// The link campaign's receiver: it serves its connections side by side,
// each read to the end and answered with the CRC-32 of what it read. It
// used to serve them one at a time, each wait bounded by linkWaitNs; a
// connection whose sender had given up while host2's driver hung (its
// handshake finished only seconds later, its data and FIN lost or not
// yet retransmitted) then held the receiver for that bound while the
// next transfer — a final one — waited in the accept queue past its own
// bound, and failed although the link had healed.

// linkConn is one connection the receiver serves.
type linkConn struct {
	fd   int
	data []byte
	idle int64 // virtual time of the last byte (or the accept)
}

// linkPollNs is how long the receiver waits in one poll.
const linkPollNs = 100_000_000

// receive accepts connections until the sender is done. A connection
// idle for linkWaitNs is dropped, as the sender drops its own.
func (r *linkRun) receive(p *ulib.Proc, at netip.AddrPort) error {
	ls, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM|linux.SOCK_NONBLOCK, 0)
	if err != nil {
		return err
	}
	defer p.Close(ls)
	if err := p.Bind(ls, at); err != nil {
		return err
	}
	if err := p.Listen(ls, 4); err != nil {
		return err
	}
	var conns []*linkConn
	defer func() {
		for _, c := range conns {
			_ = p.Close(c.fd)
		}
	}()
	buf := make([]byte, 4096)
	for !r.done {
		fds := []ulib.PollFd{{Fd: ls, Events: linux.POLLIN}}
		for _, c := range conns {
			fds = append(fds, ulib.PollFd{Fd: c.fd, Events: linux.POLLIN})
		}
		if _, err := p.PollFds(fds, linkPollNs); err != nil {
			return err
		}
		now := p.Sys.Now()
		if fds[0].Revents != 0 {
			fd, _, err := p.Accept(ls)
			switch {
			case err == nil:
				conns = append(conns, &linkConn{fd: fd, idle: now})
			case errors.Is(err, linux.EAGAIN), errors.Is(err, linux.ECONNABORTED), errors.Is(err, linux.ECONNRESET):
				// nothing to take, or a connection that ended before it
				// was: a server goes on
			default:
				return err
			}
		}
		kept := conns[:0]
		for i, c := range conns {
			if i+1 < len(fds) && fds[i+1].Revents != 0 && !serveLinkConn(p, c, buf, now) ||
				now-c.idle >= linkWaitNs {
				_ = p.Close(c.fd)
				continue
			}
			kept = append(kept, c)
		}
		clear(conns[len(kept):])
		conns = kept
	}
	return nil
}

// serveLinkConn reads what waits on c; at the end of its data it answers
// the CRC-32. It reports whether c stays open.
func serveLinkConn(p *ulib.Proc, c *linkConn, buf []byte, now int64) bool {
	n, err := p.Read(c.fd, buf)
	switch {
	case errors.Is(err, linux.EAGAIN):
		return true
	case err != nil:
		return false
	case n == 0:
		_ = linkWrite(p, c.fd, binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(c.data)))
		return false
	case len(c.data)+n > linkBytes:
		return false // more than a transfer: not the sender's
	}
	c.data = append(c.data, buf[:n]...)
	c.idle = now
	return true
}
