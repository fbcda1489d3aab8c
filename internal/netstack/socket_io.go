package netstack

import (
	"bytes"
	"net/netip"

	"gvisor.dev/gvisor/pkg/tcpip"
)

// Send writes b to a connected socket without blocking: TCP queues what fits
// in the send buffer and returns that count (EAGAIN when nothing fits); UDP
// and ICMP send one datagram. A TCP socket never connected, or whose
// sending side is shut, answers EPIPE as on Linux; a reset one ECONNRESET
// once, then EPIPE.
func (s *Stack) Send(h Sock, b []byte) (int, Errno) {
	return s.write(h, b, nil)
}

// SendTo sends one datagram to to on a UDP or ICMP socket; on TCP, to is
// ignored as Linux does when connected.
func (s *Stack) SendTo(h Sock, b []byte, to netip.AddrPort) (int, Errno) {
	return s.write(h, b, &to)
}

func (s *Stack) write(h Sock, b []byte, to *netip.AddrPort) (int, Errno) {
	n := 0
	e := s.withSock(h, func(so *socket) Errno {
		var opts tcpip.WriteOptions
		if to != nil && so.proto != TCP {
			fa, ok := fullAddr(so.family, *to)
			if !ok {
				return EAFNOSUPPORT
			}
			if !to.Addr().IsValid() {
				return EDESTADDRREQ
			}
			opts.To = &fa
		}
		w, err := so.ep.Write(bytes.NewReader(b), opts)
		n = int(w)
		if err != nil && n > 0 {
			return OK
		}
		return errnoOf(err)
	})
	return n, e
}

// Recv reads up to len(buf) bytes without blocking. n == 0 with OK is the
// end of the stream (the peer closed, or reading was shut down); EAGAIN
// means nothing is there yet. A datagram longer than buf is truncated and
// the rest discarded, as Linux does.
func (s *Stack) Recv(h Sock, buf []byte) (int, Errno) {
	n, _, e := s.read(h, buf, false)
	return n, e
}

// RecvFrom is Recv that also returns the datagram's source address.
func (s *Stack) RecvFrom(h Sock, buf []byte) (int, netip.AddrPort, Errno) {
	return s.read(h, buf, true)
}

// Peek is Recv that leaves the data queued.
func (s *Stack) Peek(h Sock, buf []byte) (int, Errno) {
	var n int
	e := s.withSock(h, func(so *socket) Errno {
		var err tcpip.Error
		n, _, err = readInto(so, buf, tcpip.ReadOptions{Peek: true})
		return recvErrno(err)
	})
	return n, e
}

func (s *Stack) read(h Sock, buf []byte, from bool) (int, netip.AddrPort, Errno) {
	var n int
	var src netip.AddrPort
	e := s.withSock(h, func(so *socket) Errno {
		var err tcpip.Error
		var fa tcpip.FullAddress
		n, fa, err = readInto(so, buf, tcpip.ReadOptions{NeedRemoteAddr: from})
		src = addrPortOf(fa)
		return recvErrno(err)
	})
	return n, src, e
}

// readInto reads into buf with opts. A stream reads what fits; a datagram
// is cut to buf (truncWriter), so even an empty buf takes one datagram.
func readInto(so *socket, buf []byte, opts tcpip.ReadOptions) (int, tcpip.FullAddress, tcpip.Error) {
	if so.proto != TCP {
		w := truncWriter{buf: buf}
		res, err := so.ep.Read(&w, opts)
		if err != nil {
			return 0, tcpip.FullAddress{}, err
		}
		return w.n, res.RemoteAddr, nil
	}
	w := tcpip.SliceWriter(buf)
	res, err := so.ep.Read(&w, opts)
	if err != nil {
		return 0, tcpip.FullAddress{}, err
	}
	return res.Count, res.RemoteAddr, nil
}

// truncWriter copies what fits in buf and drops the rest, reporting every
// byte written, as a datagram read into a short buffer does on Linux.
type truncWriter struct {
	buf []byte
	n   int
}

func (w *truncWriter) Write(p []byte) (int, error) {
	w.n += copy(w.buf[w.n:], p)
	return len(p), nil
}

// recvErrno maps a read error; ErrClosedForReceive is the end of the stream.
func recvErrno(err tcpip.Error) Errno {
	if _, eof := err.(*tcpip.ErrClosedForReceive); eof {
		return OK
	}
	return errnoOf(err)
}
