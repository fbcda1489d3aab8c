package hw

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// The card's operations, the Op of an ipc.DevRequest.
const (
	// OpSend transmits the frame Buf[:Arg[0]]. It completes when the last
	// bit is on the wire (the frame's serialization time at the link's
	// speed); the card reads Buf then, so the driver must not reuse it
	// before the completion. A frame shorter than a header, or longer
	// than Buf, is EINVAL; longer than MaxFrame, EMSGSIZE; with the link
	// down, ENETDOWN.
	OpSend uint16 = iota + 1
	// OpRecv moves frames from the receive ring into Buf, oldest first,
	// as a batch: each frame a 2-byte little-endian length and its bytes
	// (NextFrame reads one). It takes as many as fit, at most Arg[0] when
	// that is positive, and completes after the copy's time. An empty
	// ring is EAGAIN; a Buf too small for the first frame, EINVAL.
	OpRecv
	// OpIdentify fills Buf (IdentifySize bytes) with the card's address,
	// MTU, speed, link state, ring size and counters (its statistics
	// registers); DecodeIdentify reads it. It takes no time.
	OpIdentify
)

// IdentifySize is the size of OpIdentify's answer: 32 bytes of identity,
// then the eight counters of Counters.
const IdentifySize = 32 + 8*8

// Identity is what OpIdentify reports.
type Identity struct {
	MAC      MAC
	MTU      int
	SpeedBps int64
	Up       bool
	RxRing   int
	Counters Counters
}

// Counters are the card's statistics registers, as OpIdentify reports
// them: Stats without the interrupt count.
type Counters struct {
	TxFrames, TxBytes, TxErrors                      int64
	RxFrames, RxBytes, RxDropped, RxFiltered, RxRead int64
}

// words lists the counters in their wire order.
func (c *Counters) words() []*int64 {
	return []*int64{&c.TxFrames, &c.TxBytes, &c.TxErrors, &c.RxFrames, &c.RxBytes, &c.RxDropped, &c.RxFiltered, &c.RxRead}
}

// Start begins req at virtual time now and returns when it completes. A
// send's time is its serialization; its data moves in Finish.
func (n *NIC) Start(now int64, req *ipc.DevRequest) (int64, ipc.Errno) {
	if n.busy {
		return 0, linux.EBUSY
	}
	var doneAt int64
	switch req.Op {
	case OpSend:
		size, e := n.checkSend(req)
		if e != 0 {
			n.stats.TxErrors++
			return 0, e
		}
		doneAt = now + wireTimeNs(size, n.speedBps)
	case OpRecv:
		take, bytes := n.fit(req)
		if len(n.ring) == 0 {
			return 0, linux.EAGAIN
		}
		if take == 0 {
			return 0, linux.EINVAL
		}
		n.rxTake = take
		doneAt = now + (int64(bytes)*1_000_000_000+n.dmaBps-1)/n.dmaBps
	case OpIdentify:
		if len(req.Buf) < IdentifySize {
			return 0, linux.EINVAL
		}
		doneAt = now
	default:
		return 0, linux.EINVAL
	}
	n.busy, n.op = true, *req
	return doneAt, 0
}

// checkSend checks a send and returns the frame's length.
func (n *NIC) checkSend(req *ipc.DevRequest) (int, ipc.Errno) {
	size := req.Arg[0]
	switch {
	case size < HeaderSize || size > int64(len(req.Buf)):
		return 0, linux.EINVAL
	case size > int64(n.MaxFrame()):
		return 0, linux.EMSGSIZE
	case !n.up:
		return 0, linux.ENETDOWN
	}
	return int(size), 0
}

// fit returns how many frames of the ring, and how many bytes with their
// length prefixes, a receive into req.Buf takes.
func (n *NIC) fit(req *ipc.DevRequest) (take, bytes int) {
	limit := len(n.ring)
	if req.Arg[0] > 0 && req.Arg[0] < int64(limit) {
		limit = int(req.Arg[0])
	}
	for take < limit && bytes+2+len(n.ring[take]) <= len(req.Buf) {
		bytes += 2 + len(n.ring[take])
		take++
	}
	return take, bytes
}

// Finish completes the operation Start accepted at virtual time now: a
// send puts the frame on the wire (lost if the link went down meanwhile),
// a receive fills the buffer. It works on the request Start checked, which
// the kernel passes again as req.
func (n *NIC) Finish(now int64, _ *ipc.DevRequest) ipc.DevCompletion {
	if !n.busy {
		return ipc.DevCompletion{Errno: linux.EINVAL}
	}
	op := n.op
	n.busy, n.op = false, ipc.DevRequest{}
	req := &op
	switch req.Op {
	case OpSend:
		return n.finishSend(now, req)
	case OpRecv:
		return n.finishRecv(req)
	}
	n.encodeIdentify(req.Buf)
	return ipc.DevCompletion{N: IdentifySize}
}

func (n *NIC) finishSend(now int64, req *ipc.DevRequest) ipc.DevCompletion {
	if !n.up {
		n.stats.TxErrors++
		return ipc.DevCompletion{Errno: linux.ENETDOWN}
	}
	src := req.Buf[:req.Arg[0]]
	frame := make([]byte, len(src)) // make and copy: the compiler skips the zeroing
	copy(frame, src)
	n.stats.TxFrames++
	n.stats.TxBytes += int64(len(frame))
	if n.wire != nil {
		n.wire.transmit(n.port, now, frame)
	}
	return ipc.DevCompletion{N: len(frame)}
}

func (n *NIC) finishRecv(req *ipc.DevRequest) ipc.DevCompletion {
	take := min(n.rxTake, len(n.ring))
	off := 0
	for _, f := range n.ring[:take] {
		binary.LittleEndian.PutUint16(req.Buf[off:], uint16(len(f)))
		off += 2 + copy(req.Buf[off+2:], f)
	}
	clear(n.ring[:take])
	n.ring = n.ring[take:]
	n.stats.RxRead += int64(take)
	return ipc.DevCompletion{N: off}
}

// encodeIdentify writes the identity: the address, 2 bytes of padding, the
// MTU and the ring size as little-endian 32-bit words, the speed as a
// 64-bit word, the flags (bit 0: link up), 7 bytes of padding, and the
// counters as little-endian 64-bit words.
func (n *NIC) encodeIdentify(b []byte) {
	b = b[:IdentifySize]
	clear(b)
	copy(b, n.mac[:])
	binary.LittleEndian.PutUint32(b[8:], uint32(n.mtu))
	binary.LittleEndian.PutUint32(b[12:], uint32(n.ringCap))
	binary.LittleEndian.PutUint64(b[16:], uint64(n.speedBps))
	if n.up {
		b[24] = 1
	}
	st := n.stats
	c := Counters{st.TxFrames, st.TxBytes, st.TxErrors, st.RxFrames, st.RxBytes, st.RxDropped, st.RxFiltered, st.RxRead}
	for i, w := range c.words() {
		binary.LittleEndian.PutUint64(b[32+8*i:], uint64(*w))
	}
}

// DecodeIdentify reads OpIdentify's answer; ok is false for one too short.
func DecodeIdentify(b []byte) (id Identity, ok bool) {
	if len(b) < IdentifySize {
		return id, false
	}
	copy(id.MAC[:], b)
	id.MTU = int(binary.LittleEndian.Uint32(b[8:]))
	id.RxRing = int(binary.LittleEndian.Uint32(b[12:]))
	id.SpeedBps = int64(binary.LittleEndian.Uint64(b[16:]))
	id.Up = b[24]&1 != 0
	for i, w := range id.Counters.words() {
		*w = int64(binary.LittleEndian.Uint64(b[32+8*i:]))
	}
	return id, true
}

// NextFrame reads the first frame of an OpRecv batch and returns it and
// the rest; ok is false at the end or at a length past the batch.
func NextFrame(batch []byte) (frame, rest []byte, ok bool) {
	if len(batch) < 2 {
		return nil, nil, false
	}
	size := int(binary.LittleEndian.Uint16(batch))
	if size == 0 || 2+size > len(batch) {
		return nil, nil, false
	}
	return batch[2 : 2+size], batch[2+size:], true
}
