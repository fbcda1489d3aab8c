package faults

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"net/netip"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/user/ulib"
)

// The tcp workload: each job is a TCP transfer over the loopback through
// the net server, between the workload task and a peer task it spawns.
// The peer connects and sends tcpBytes of a pattern, then waits for the
// workload's CRC-32 of what it received and compares it with its own:
// the bytes are intact at both ends or the job fails. Every socket wait
// is a PollFds bounded by tcpWaitNs — a program's own timeout — so no
// program waits on a socket forever: it gets data, an error, or its
// timeout (ETIMEDOUT). A net server that crashed resets the connections
// (ECONNRESET, EPIPE) and the next job, on fresh sockets, works.

const (
	tcpBytes  = 16 << 10
	tcpWaitNs = 2_000_000_000 // a program's timeout on one socket wait
	tcpPortLo = 20000
)

var tcpWorkload = &Workload{
	Name:  "tcp",
	Doc:   "a 16 KiB TCP transfer over the loopback to the workload from a peer task, CRC-32 checked at both ends; every socket wait bounded (2 s)",
	Needs: []string{netproto.Name},
	Job:   tcpJob,
}

// tcpPeer is what a job's peer task reports.
type tcpPeer struct {
	err  error
	done bool
}

// tcpJob is one transfer.
func tcpJob(w *worker, j int) error {
	p := w.proc
	addr := netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(tcpPortLo+j%20000))
	ls, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
	if err != nil {
		return step("net", "socket", err)
	}
	defer p.Close(ls) // a socket of a restarted net server fails to close: nothing to do about it
	if err := p.Bind(ls, addr); err != nil {
		return step("net", "bind", err)
	}
	if err := p.Listen(ls, 1); err != nil {
		return step("net", "listen", err)
	}
	data := w.pattern(j, tcpBytes)
	peer := &tcpPeer{}
	if _, err := w.sys.Spawn(ipc.TaskSpec{Name: "tcppeer", Body: func(sys ipc.Sys) { tcpSend(sys, addr, data, peer) }}); err != nil {
		return fmt.Errorf("spawn the peer: %w", err)
	}
	err = tcpReceive(p, ls, data)
	for waited := int64(0); !peer.done && waited < 2*tcpWaitNs; waited += retryNs {
		if w.sys.Sleep(retryNs) != nil {
			break
		}
	}
	switch {
	case err != nil:
		return err
	case !peer.done:
		return step("net", "the peer's transfer", linux.ETIMEDOUT)
	}
	return peer.err
}

// tcpReceive accepts the peer's connection, reads everything it sends,
// checks it and answers with its CRC-32.
func tcpReceive(p *ulib.Proc, ls int, want []byte) error {
	if err := tcpWait(p, ls, linux.POLLIN, "accept"); err != nil {
		return err
	}
	fd, _, err := p.Accept(ls)
	if err != nil {
		return step("net", "accept", err)
	}
	defer p.Close(fd)
	got := make([]byte, 0, len(want))
	buf := make([]byte, 4096)
	for {
		if err := tcpWait(p, fd, linux.POLLIN, "read"); err != nil {
			return err
		}
		n, err := p.Read(fd, buf)
		if err != nil {
			return step("net", "read", err)
		}
		if n < 0 || n > len(buf) {
			return wrong("net", "read", "the server says it read %d bytes into %d", n, len(buf))
		}
		if n == 0 {
			break
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != string(want) {
		return wrong("net", "read", "received %d bytes that differ from the %d sent", len(got), len(want))
	}
	return tcpWriteAll(p, fd, binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(got)))
}

// tcpSend is the peer: connect, send data, shut the sending half, and
// check the receiver's CRC-32.
func tcpSend(sys ipc.Sys, addr netip.AddrPort, data []byte, r *tcpPeer) {
	q := ulib.New(sys)
	defer func() { q.CloseAll(); r.done = true }()
	r.err = func() error {
		fd, err := q.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
		if err != nil {
			return step("net", "peer socket", err)
		}
		if err := q.Connect(fd, addr); err != nil {
			return step("net", "peer connect", err)
		}
		if err := tcpWriteAll(q, fd, data); err != nil {
			return err
		}
		if err := q.Shutdown(fd, linux.SHUT_WR); err != nil {
			return step("net", "peer shutdown", err)
		}
		ans := make([]byte, 4)
		for got := 0; got < len(ans); {
			if err := tcpWait(q, fd, linux.POLLIN, "peer read"); err != nil {
				return err
			}
			n, err := q.Read(fd, ans[got:])
			if err != nil {
				return step("net", "peer read", err)
			}
			if n <= 0 || n > len(ans)-got {
				return step("net", "peer read", linux.ECONNRESET) // closed before the checksum
			}
			got += n
		}
		if sum := crc32.ChecksumIEEE(data); binary.BigEndian.Uint32(ans) != sum {
			return wrong("net", "peer read", "the receiver's CRC-32 %08x differs from the sender's %08x", binary.BigEndian.Uint32(ans), sum)
		}
		return nil
	}()
}

// tcpWait waits until fd is ready for events, at most tcpWaitNs: the
// program's timeout is ETIMEDOUT.
func tcpWait(p *ulib.Proc, fd int, events int16, op string) error {
	fds := []ulib.PollFd{{Fd: fd, Events: events}}
	n, err := p.PollFds(fds, tcpWaitNs)
	switch {
	case err != nil:
		return step("net", "poll before "+op, err)
	case n == 0:
		return step("net", op, linux.ETIMEDOUT)
	}
	return nil
}

// tcpWriteAll writes all of b, each write after a bounded wait.
func tcpWriteAll(p *ulib.Proc, fd int, b []byte) error {
	for done := 0; done < len(b); {
		if err := tcpWait(p, fd, linux.POLLOUT, "write"); err != nil {
			return err
		}
		n, err := p.Write(fd, b[done:])
		if err != nil {
			return step("net", "write", err)
		}
		if n <= 0 || n > len(b)-done {
			return wrong("net", "write", "the server says it took %d bytes of %d", n, len(b)-done)
		}
		done += n
	}
	return nil
}
