package bench

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"net/netip"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/user/ulib"
)

// The TCP workloads: a connection through the net server (gVisor's
// netstack hosted in a server) between the benchmark task and a peer
// task on the same machine, over the loopback. tcp-rr is a small
// request and its echo (latency); tcp-bulk is a stream of data to a sink
// that checks its CRC-32 at the end (throughput). `--workload tcp` runs
// both. Both ends are ordinary socket calls of the system-call library,
// so a round trip costs what a program's would: the client's send, the
// stack's segments and ACKs, the peer's receive and send, and back.

const (
	tcpPort      = 5001
	tcpMsgBytes  = 64       // tcp-rr: one request, one echo
	tcpBulkBytes = 64 << 10 // tcp-bulk: one operation's data
)

var tcpAddr = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), tcpPort)

var tcpRRWorkload = &Workload{
	Name:       "tcp-rr",
	Doc:        "a 64-byte request over a loopback TCP connection and its 64-byte echo (net server, gVisor netstack)",
	Needs:      []string{netproto.Name},
	Setup:      func(e *Env) error { return tcpSetup(e, tcpEcho) },
	Op:         tcpRROp,
	Teardown:   tcpTeardown,
	VirtualOps: 500,
}

var tcpBulkWorkload = &Workload{
	Name:       "tcp-bulk",
	Doc:        "64 KiB sent over a loopback TCP connection to a sink that checks their CRC-32 at the end",
	Needs:      []string{netproto.Name},
	Setup:      func(e *Env) error { return tcpSetup(e, tcpSink) },
	Op:         tcpBulkOp,
	Teardown:   tcpTeardown,
	VirtualOps: 64, // 4 MiB
	BytesPerOp: tcpBulkBytes,
}

// Groups are names of several workloads: `--workload tcp` runs both TCP
// workloads.
var Groups = map[string][]string{"tcp": {"tcp-bulk", "tcp-rr"}}

// Expand replaces the names of groups in names by their workloads.
func Expand(names []string) []string {
	var out []string
	for _, n := range names {
		if g, ok := Groups[n]; ok {
			out = append(out, g...)
			continue
		}
		out = append(out, n)
	}
	return out
}

// registerTCP adds the TCP workloads once boot can place the net server.
func registerTCP() {
	if boot.Servers[netproto.Name] == nil {
		Missing["tcp"] = "boot cannot place the net server (servers/net) yet"
		return
	}
	Suite[tcpRRWorkload.Name] = tcpRRWorkload
	Suite[tcpBulkWorkload.Name] = tcpBulkWorkload
}

// tcpState is the benchmark task's end of the connection, and what the
// peer reports when the connection ends.
type tcpState struct {
	p        *ulib.Proc
	fd       int
	msg, buf []byte
	sent     int64
	crc      uint32
	peerErr  error
	peerDone bool
}

// tcpSetup listens, spawns the peer (which connects and runs serve) and
// accepts its connection.
func tcpSetup(e *Env, serve func(p *ulib.Proc, fd int, st *tcpState) error) error {
	p := ulib.New(e.Sys)
	ls, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
	if err != nil {
		return fmt.Errorf("socket: %w", err)
	}
	if err := p.Bind(ls, tcpAddr); err != nil {
		return fmt.Errorf("bind %s: %w", tcpAddr, err)
	}
	if err := p.Listen(ls, 1); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	st := &tcpState{p: p, msg: make([]byte, tcpMsgBytes), buf: make([]byte, tcpBulkBytes)}
	for i := range st.buf {
		st.buf[i] = byte(i*7 + i>>8)
	}
	_, err = e.Sys.Spawn(ipc.TaskSpec{Name: "tcp-peer", Body: func(sys ipc.Sys) {
		q := ulib.New(sys)
		fd, err := q.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
		if err == nil {
			err = q.Connect(fd, tcpAddr)
		}
		if err == nil {
			err = serve(q, fd, st)
		}
		st.peerErr, st.peerDone = err, true
		q.CloseAll()
	}})
	if err != nil {
		return fmt.Errorf("spawn the peer: %w", err)
	}
	fd, _, err := p.Accept(ls)
	if err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	st.fd = fd
	e.State = st
	return p.Close(ls)
}

// readFull reads exactly len(b) bytes from fd; io.ErrUnexpectedEOF-like
// errors name what was missing.
func readFull(p *ulib.Proc, fd int, b []byte) error {
	for done := 0; done < len(b); {
		n, err := p.Read(fd, b[done:])
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

// writeFull writes all of b to fd.
func writeFull(p *ulib.Proc, fd int, b []byte) error {
	for done := 0; done < len(b); {
		n, err := p.Write(fd, b[done:])
		if err != nil {
			return err
		}
		if n == 0 {
			return errors.New("a write took nothing")
		}
		done += n
	}
	return nil
}

// tcpEcho is tcp-rr's peer: it echoes each message until the end.
func tcpEcho(p *ulib.Proc, fd int, _ *tcpState) error {
	msg := make([]byte, tcpMsgBytes)
	for {
		n, err := p.Read(fd, msg[:1])
		if err != nil || n == 0 {
			return err
		}
		if err := readFull(p, fd, msg[1:]); err != nil {
			return err
		}
		if err := writeFull(p, fd, msg); err != nil {
			return err
		}
	}
}

// tcpSink is tcp-bulk's peer: it reads to the end, then answers with the
// count and CRC-32 of what it read.
func tcpSink(p *ulib.Proc, fd int, _ *tcpState) error {
	buf := make([]byte, 64<<10)
	var n int64
	var crc uint32
	for {
		k, err := p.Read(fd, buf)
		if err != nil {
			return err
		}
		if k == 0 {
			break
		}
		n += int64(k)
		crc = crc32.Update(crc, crc32.IEEETable, buf[:k])
	}
	ans := binary.BigEndian.AppendUint64(nil, uint64(n))
	return writeFull(p, fd, binary.BigEndian.AppendUint32(ans, crc))
}

// tcpRROp sends message i and checks its echo.
func tcpRROp(e *Env, i int) error {
	st := e.State.(*tcpState)
	binary.BigEndian.PutUint64(st.msg, uint64(i))
	if err := writeFull(st.p, st.fd, st.msg); err != nil {
		return err
	}
	back := st.buf[:tcpMsgBytes]
	if err := readFull(st.p, st.fd, back); err != nil {
		return err
	}
	if binary.BigEndian.Uint64(back) != uint64(i) {
		return fmt.Errorf("echo of message %d is message %d", i, binary.BigEndian.Uint64(back))
	}
	return nil
}

// tcpBulkOp sends 64 KiB.
func tcpBulkOp(e *Env, _ int) error {
	st := e.State.(*tcpState)
	if err := writeFull(st.p, st.fd, st.buf); err != nil {
		return err
	}
	st.sent += int64(len(st.buf))
	st.crc = crc32.Update(st.crc, crc32.IEEETable, st.buf)
	return nil
}

// tcpTeardown ends the connection; for tcp-bulk it checks the sink's
// count and CRC against what was sent.
func tcpTeardown(e *Env) error {
	st := e.State.(*tcpState)
	if err := st.p.Shutdown(st.fd, linux.SHUT_WR); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if st.sent > 0 {
		ans := make([]byte, 12)
		if err := readFull(st.p, st.fd, ans); err != nil {
			return fmt.Errorf("the sink's answer: %w", err)
		}
		n, crc := int64(binary.BigEndian.Uint64(ans)), binary.BigEndian.Uint32(ans[8:])
		if n != st.sent || crc != st.crc {
			return fmt.Errorf("transfer corrupted: sent %d bytes crc %08x, the sink read %d bytes crc %08x", st.sent, st.crc, n, crc)
		}
	}
	if err := st.p.Close(st.fd); err != nil {
		return err
	}
	for i := 0; !st.peerDone && i < 1000; i++ {
		_ = st.p.Sleep(100_000)
	}
	if !st.peerDone {
		return errors.New("the peer did not end")
	}
	return st.peerErr
}
