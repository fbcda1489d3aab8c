package netcmd

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"net/netip"
	"slices"
	"strconv"

	"github.com/mkos/mkos/ipc/linux"
)

// tcpbench measures TCP in virtual time, as netperf does on a real
// network: "tcpbench -s" serves, "tcpbench -c HOST" runs a test against
// it and prints one result line (Result parses it; mkos bench --workload
// tcp reads it).
//
//	tcpbench -s [-p PORT] [-n CONNS] [-w SECS]
//	tcpbench -c HOST [-p PORT] [-b BYTES | -r ROUNDS [-m SIZE]] [-w SECS]
//
// A bulk test (-b, 4 MiB by default) sends BYTES of a fixed pattern; the
// server answers with the count and CRC-32 of what it received, which the
// client checks against what it sent: the transfer is intact or the
// status is 1. A request/response test (-r) sends ROUNDS messages of SIZE
// bytes (64), each echoed before the next. -w bounds every wait, so a lost
// peer ends the run with an error rather than a hang (mkos faults runs it
// so); without it a read blocks in the net server, which measures
// latency exactly (PollFds would add its back-off). The port is 5001 by
// default.
func tcpbench(c *Cmd, args []string) int {
	const usage = "-s [-p PORT] [-n CONNS] [-w SECS] | tcpbench -c HOST [-p PORT] [-b BYTES | -r ROUNDS [-m SIZE]] [-w SECS]"
	opts, rest, err := options(args, "sc:p:n:w:b:r:m:")
	if err != nil || len(rest) > 0 || has(opts, 's') == has(opts, 'c') {
		return c.usage(usage)
	}
	t := &bencher{Cmd: c, port: 5001, timeoutNs: -1}
	if v, ok := opts['p']; ok {
		if t.port, err = port(v, false); err != nil {
			c.errorf("%v", err)
			return 2
		}
	}
	if v, ok := opts['w']; ok {
		if t.timeoutNs, err = seconds(v); err != nil || t.timeoutNs == 0 {
			c.errorf("invalid timeout %q", v)
			return 2
		}
	}
	nums := map[byte]int64{'n': 1, 'b': 4 << 20, 'r': 0, 'm': 64}
	for _, o := range []byte("nbrm") {
		if v, ok := opts[o]; ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1 || o == 'm' && n > 1<<20 {
				c.errorf("invalid -%c %q", o, v)
				return 2
			}
			nums[o] = n
		}
	}
	if has(opts, 's') {
		return t.serve(int(nums['n']))
	}
	if nums['r'] > 0 {
		return t.client(opts['c'], benchRequest{mode: 'R', n: nums['r'], size: uint32(nums['m'])})
	}
	return t.client(opts['c'], benchRequest{mode: 'B', n: nums['b']})
}

// benchRequest is the 20 bytes a client sends first: "TCPB", the mode
// ('B' bulk, 'R' request/response), 3 bytes of zero, n (bytes or rounds)
// and the message size of a request/response test, big-endian.
type benchRequest struct {
	mode byte
	n    int64
	size uint32
}

const benchRequestLen = 20

func (r benchRequest) encode() []byte {
	b := make([]byte, benchRequestLen)
	copy(b, "TCPB")
	b[4] = r.mode
	binary.BigEndian.PutUint64(b[8:], uint64(r.n))
	binary.BigEndian.PutUint32(b[16:], r.size)
	return b
}

// errBadRequest is a first message that is not a tcpbench request.
var errBadRequest = errors.New("not a tcpbench request")

func decodeBenchRequest(b []byte) (benchRequest, error) {
	r := benchRequest{mode: b[4], n: int64(binary.BigEndian.Uint64(b[8:])), size: binary.BigEndian.Uint32(b[16:])}
	switch {
	case string(b[:4]) != "TCPB", r.n < 1:
		return r, errBadRequest
	case r.mode == 'B':
		return r, nil
	case r.mode == 'R' && r.size >= 1 && r.size <= 1<<20:
		return r, nil
	}
	return r, errBadRequest
}

// pattern fills b with the bulk test's bytes from offset off: a function
// of the offset alone, so either end can make or check any part.
func pattern(b []byte, off int64) {
	for i := range b {
		x := uint32(off + int64(i))
		x ^= x >> 7
		x *= 0x9e3779b1
		b[i] = byte(x >> 24)
	}
}

// bencher is one tcpbench run.
type bencher struct {
	*Cmd
	port      uint16
	timeoutNs int64
}

// readFull reads exactly len(b) bytes from socket fd, each wait limited
// by -w.
func (t *bencher) readFull(fd int, b []byte) error {
	for done := 0; done < len(b); {
		if t.timeoutNs >= 0 {
			k, err := t.PollFds([]PollFd{{Fd: fd, Events: linux.POLLIN}}, t.timeoutNs)
			if err != nil {
				return err
			}
			if k == 0 {
				return fmt.Errorf("%w after %ss with %d of %d bytes", errTimedOut, secondsString(t.timeoutNs), done, len(b))
			}
		}
		n, err := t.Recv(fd, b[done:])
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("connection closed after %d of %d bytes", done, len(b))
		}
		done += n
	}
	return nil
}

// serve accepts conns connections, one at a time, and serves each test.
func (t *bencher) serve(conns int) int {
	fd, err := t.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
	if err != nil {
		t.errorf("socket: %s", errText(err))
		return 1
	}
	defer t.Close(fd)
	if err := t.Bind(fd, netip.AddrPortFrom(netip.IPv4Unspecified(), t.port)); err != nil {
		t.errorf("bind to port %d: %s", t.port, errText(err))
		return 1
	}
	if err := t.Listen(fd, 4); err != nil {
		t.errorf("listen on port %d: %s", t.port, errText(err))
		return 1
	}
	for range conns {
		conn, from, err := t.Accept(fd)
		if err != nil {
			t.errorf("accept on port %d: %s", t.port, errText(err))
			return 1
		}
		if err := t.serveOne(conn); err != nil {
			t.errorf("%s: %s", from, errText(err))
		}
		t.Close(conn)
	}
	return 0
}

// serveOne serves one connection's test.
func (t *bencher) serveOne(fd int) error {
	head := make([]byte, benchRequestLen)
	if err := t.readFull(fd, head); err != nil {
		return err
	}
	r, err := decodeBenchRequest(head)
	if err != nil {
		return err
	}
	if r.mode == 'R' {
		msg := make([]byte, r.size)
		for range r.n {
			if err := t.readFull(fd, msg); err != nil {
				return err
			}
			if _, err := sendAll(t.System, fd, msg); err != nil {
				return err
			}
		}
		return nil
	}
	crc, buf := uint32(0), make([]byte, 64<<10)
	for left := r.n; left > 0; {
		b := buf[:min(int64(len(buf)), left)]
		if err := t.readFull(fd, b); err != nil {
			return err
		}
		crc = crc32.Update(crc, crc32.IEEETable, b)
		left -= int64(len(b))
	}
	ans := binary.BigEndian.AppendUint64(nil, uint64(r.n))
	ans = binary.BigEndian.AppendUint32(ans, crc)
	_, err = sendAll(t.System, fd, ans)
	return err
}

// client connects to host and runs test r.
func (t *bencher) client(host string, r benchRequest) int {
	addr, err := t.resolve(host)
	if err != nil {
		t.errorf("%v", err)
		return 2
	}
	fd, err := t.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
	if err != nil {
		t.errorf("socket: %s", errText(err))
		return 1
	}
	defer t.Close(fd)
	start := t.Now()
	to := netip.AddrPortFrom(addr, t.port)
	if err := t.Connect(fd, to); err != nil {
		t.errorf("connect to %s port %d: %s", host, t.port, errText(err))
		return 1
	}
	if _, err := sendAll(t.System, fd, r.encode()); err != nil {
		t.errorf("send to %s: %s", to, errText(err))
		return 1
	}
	var res Result
	if r.mode == 'R' {
		res, err = t.roundTrips(fd, r)
	} else {
		res, err = t.bulk(fd, r)
	}
	if err != nil {
		t.errorf("%s: %s", to, errText(err))
		return 1
	}
	res.ElapsedNs = t.Now() - start
	t.printf("%s\n", res)
	return 0
}

// bulk sends r.n bytes of the pattern and checks the server's count and
// checksum.
func (t *bencher) bulk(fd int, r benchRequest) (Result, error) {
	buf := make([]byte, 64<<10)
	crc := uint32(0)
	for off := int64(0); off < r.n; {
		b := buf[:min(int64(len(buf)), r.n-off)]
		pattern(b, off)
		crc = crc32.Update(crc, crc32.IEEETable, b)
		if _, err := sendAll(t.System, fd, b); err != nil {
			return Result{}, fmt.Errorf("sending at byte %d: %w", off, err)
		}
		off += int64(len(b))
	}
	ans := make([]byte, 12)
	if err := t.readFull(fd, ans); err != nil {
		return Result{}, fmt.Errorf("waiting for the checksum: %w", err)
	}
	got, gotCRC := int64(binary.BigEndian.Uint64(ans)), binary.BigEndian.Uint32(ans[8:])
	if got != r.n || gotCRC != crc {
		return Result{}, fmt.Errorf("transfer corrupted: sent %d bytes crc %08x, server got %d bytes crc %08x", r.n, crc, got, gotCRC)
	}
	return Result{Mode: "bulk", Bytes: r.n, CRC: crc}, nil
}

// roundTrips runs r.n request/response rounds and measures each.
func (t *bencher) roundTrips(fd int, r benchRequest) (Result, error) {
	msg, back := make([]byte, r.size), make([]byte, r.size)
	lat := make([]int64, 0, r.n)
	for i := range r.n {
		pattern(msg, i)
		t0 := t.Now()
		if _, err := sendAll(t.System, fd, msg); err != nil {
			return Result{}, fmt.Errorf("round %d: %w", i, err)
		}
		if err := t.readFull(fd, back); err != nil {
			return Result{}, fmt.Errorf("round %d: %w", i, err)
		}
		if string(back) != string(msg) {
			return Result{}, fmt.Errorf("round %d: the echo differs from the request", i)
		}
		lat = append(lat, t.Now()-t0)
	}
	slices.Sort(lat)
	var sum int64
	for _, l := range lat {
		sum += l
	}
	return Result{Mode: "rr", Rounds: r.n, Size: int64(r.size), MeanNs: sum / r.n,
		P50Ns: lat[len(lat)/2], P99Ns: lat[min(len(lat)-1, len(lat)*99/100)]}, nil
}
