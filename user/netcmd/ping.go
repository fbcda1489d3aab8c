package netcmd

import (
	"encoding/binary"
	"math"
	"net/netip"
	"strconv"

	"github.com/mkos/mkos/ipc/linux"
)

// The ICMP echo message: type, code, checksum, identifier, sequence,
// then the data. An ICMP datagram socket (as Linux's ping sockets) takes
// and gives the ICMP message without the IP header; the stack sets the
// identifier.
const (
	icmpEchoRequest = 8
	icmpEchoReply   = 0
	icmpHeaderLen   = 8
	pingDataLen     = 56
	ipHeaderLen     = 20
)

// ping [-c COUNT] [-i INTERVAL] [-W TIMEOUT] HOST sends ICMP echo
// requests to HOST and prints each reply's round-trip time in virtual
// time, then the statistics, as Linux's ping. It sends COUNT requests
// (4 by default: Linux pings until interrupted, mkos's ping ends so a
// script does) INTERVAL seconds apart (1), and waits TIMEOUT seconds (1)
// after the last. The status is 0 when a reply came, 1 when none did, 2
// on an error.
func ping(c *Cmd, args []string) int {
	const usage = "[-c COUNT] [-i INTERVAL] [-W TIMEOUT] HOST"
	opts, rest, err := options(args, "c:i:W:")
	if err != nil || len(rest) != 1 {
		return c.usage(usage)
	}
	count, interval, wait := 4, int64(1e9), int64(1e9)
	if v, ok := opts['c']; ok {
		if count, err = strconv.Atoi(v); err != nil || count < 1 {
			c.errorf("invalid count %q", v)
			return 2
		}
	}
	for _, o := range []struct {
		letter byte
		dst    *int64
	}{{'i', &interval}, {'W', &wait}} {
		if v, ok := opts[o.letter]; ok {
			if *o.dst, err = seconds(v); err != nil {
				c.errorf("%v", err)
				return 2
			}
		}
	}
	host := rest[0]
	addr, err := c.resolve(host)
	if err != nil {
		c.errorf("%v", err)
		return 2
	}
	fd, err := c.Socket(linux.AF_INET, linux.SOCK_DGRAM, linux.IPPROTO_ICMP)
	if err != nil {
		c.errorf("socket: %s", errText(err))
		return 2
	}
	defer c.Close(fd)
	p := &pinger{Cmd: c, fd: fd, to: netip.AddrPortFrom(addr, 0), sent: map[uint16]int64{}}
	c.printf("PING %s (%s) %d(%d) bytes of data.\n", host, addr, pingDataLen, pingDataLen+icmpHeaderLen+ipHeaderLen)
	start := c.Now()
	for seq := 1; seq <= count; seq++ {
		if err := p.send(uint16(seq)); err != nil {
			c.errorf("sendmsg to %s: %s", host, errText(err))
			return 2
		}
		next := c.Now() + interval
		if seq == count {
			next = c.Now() + wait
		}
		if err := p.receiveUntil(next, seq == count); err != nil {
			c.errorf("recvmsg from %s: %s", host, errText(err))
			return 2
		}
	}
	p.summary(host, c.Now()-start)
	if p.received == 0 {
		return 1
	}
	return 0
}

// pinger is one ping run: the requests sent and the replies' times.
type pinger struct {
	*Cmd
	fd       int
	to       netip.AddrPort
	sent     map[uint16]int64 // sequence → virtual time sent, until answered
	nsent    int
	received int
	rtts     []int64
}

// send sends echo request seq.
func (p *pinger) send(seq uint16) error {
	msg := make([]byte, icmpHeaderLen+pingDataLen)
	msg[0] = icmpEchoRequest
	binary.BigEndian.PutUint16(msg[6:], seq)
	now := p.Now()
	binary.BigEndian.PutUint64(msg[icmpHeaderLen:], uint64(now))
	for i := icmpHeaderLen + 8; i < len(msg); i++ {
		msg[i] = byte(i)
	}
	binary.BigEndian.PutUint16(msg[2:], icmpChecksum(msg))
	if _, err := p.SendTo(p.fd, msg, p.to); err != nil {
		return err
	}
	p.sent[seq] = now
	p.nsent++
	return nil
}

// receiveUntil prints the replies that come before virtual time end; the
// last round stops as soon as every request is answered.
func (p *pinger) receiveUntil(end int64, last bool) error {
	buf := make([]byte, 1500)
	for {
		left := end - p.Now()
		if left <= 0 || last && len(p.sent) == 0 {
			return nil
		}
		fds := []PollFd{{Fd: p.fd, Events: linux.POLLIN}}
		n, err := p.PollFds(fds, left)
		if err != nil {
			return err
		}
		if n == 0 {
			continue // timed out: left is now <= 0
		}
		m, from, err := p.RecvFrom(p.fd, buf)
		if err != nil {
			return err
		}
		p.reply(buf[:m], from)
	}
}

// reply prints one echo reply; anything else is ignored.
func (p *pinger) reply(msg []byte, from netip.AddrPort) {
	if len(msg) < icmpHeaderLen || msg[0] != icmpEchoReply {
		return
	}
	seq := binary.BigEndian.Uint16(msg[6:])
	sentAt, ok := p.sent[seq]
	if !ok {
		p.printf("%d bytes from %s: icmp_seq=%d (DUP!)\n", len(msg), from.Addr(), seq)
		return
	}
	delete(p.sent, seq)
	rtt := p.Now() - sentAt
	p.received++
	p.rtts = append(p.rtts, rtt)
	p.printf("%d bytes from %s: icmp_seq=%d time=%s ms\n", len(msg), from.Addr(), seq, msString(rtt))
}

// summary prints the statistics, as ping does when it ends.
func (p *pinger) summary(host string, elapsed int64) {
	loss := 100 * (p.nsent - p.received) / max(p.nsent, 1)
	p.printf("\n--- %s ping statistics ---\n", host)
	p.printf("%d packets transmitted, %d received, %d%% packet loss, time %dms\n",
		p.nsent, p.received, loss, elapsed/1e6)
	if len(p.rtts) == 0 {
		return
	}
	lo, hi, sum, sq := p.rtts[0], p.rtts[0], 0.0, 0.0
	for _, r := range p.rtts {
		lo, hi = min(lo, r), max(hi, r)
		sum += float64(r)
		sq += float64(r) * float64(r)
	}
	n := float64(len(p.rtts))
	mean := sum / n
	mdev := math.Sqrt(max(sq/n-mean*mean, 0))
	p.printf("rtt min/avg/max/mdev = %s/%s/%s/%s ms\n", msString(lo), msString(int64(mean)), msString(hi), msString(int64(mdev)))
}

// icmpChecksum is the Internet checksum of msg (RFC 1071).
func icmpChecksum(msg []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(msg); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(msg[i:]))
	}
	if len(msg)%2 == 1 {
		sum += uint32(msg[len(msg)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}
