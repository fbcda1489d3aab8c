package gatewayproto

import (
	"encoding/binary"
	"errors"

	"github.com/mkos/mkos/ipc"
)

// The frames that cross the wire. LECTURE: gateway-wire
//
// A call from a client on node A to service S on node B is two frames: a
// Request that A's gateway publishes on Subject(cluster, S), and a Reply
// that B's gateway publishes to the request's reply inbox. Both start
// with the same header, which orders them for a deterministic delivery:
//
//	0   magic 'm', version 1
//	2   kind (KindRequest, KindReply)
//	3   length of From
//	4   Seq, uint64 (the sender's sequence number)
//	12  SentNs, int64 (the sender's virtual time at publishing)
//	20  From (the sending node's name)
//
// then, for a Request: TimeoutNs int64, length of Service (1 byte),
// Service, RecvLen uint32, the message (Type, Len, Payload: 52 bytes),
// length of Send uint32, Send; for a Reply: Errno uint16, the message,
// length of Recv uint32, Recv. Integers are little-endian.

// Frame kinds.
const (
	KindRequest = 1
	KindReply   = 2
)

const (
	magic   = 'm'
	version = 1
	// MaxName bounds a node's or a service's name on the wire.
	MaxName = 255
	// MaxWindow bounds the bulk bytes a frame carries each way: 4 ×
	// ipc.MaxBulk, well inside NATS's default 1 MiB payload.
	MaxWindow = 4 * ipc.MaxBulk
	headerLen = 20
	msgLen    = 4 + ipc.PayloadSize
)

// ErrFrame is what Decode returns for a frame it cannot believe.
var ErrFrame = errors.New("gatewayproto: malformed frame")

// Header is what every frame starts with.
type Header struct {
	Kind   uint8
	Seq    uint64
	SentNs int64
	From   string
}

// Request is a call of a service on another node.
type Request struct {
	Header
	// TimeoutNs is how long the caller's gateway waits (virtual time);
	// the serving gateway gives its own local call as long.
	TimeoutNs int64
	Service   string
	// Msg is the request; only Type, Len and Payload cross.
	Msg ipc.Message
	// Send is the caller's send window; RecvLen the size of its receive
	// window.
	Send    []byte
	RecvLen uint32
}

// Reply answers a Request.
type Reply struct {
	Header
	// Errno, when not 0, says the call failed before a reply (the
	// service had no instance, the local call timed out); Msg is then
	// empty.
	Errno uint16
	Msg   ipc.Message
	// Recv is what the server wrote into the receive window.
	Recv []byte
}

// AppendRequest appends r's frame to b.
func AppendRequest(b []byte, r *Request) []byte {
	b = appendHeader(b, KindRequest, &r.Header)
	b = binary.LittleEndian.AppendUint64(b, uint64(r.TimeoutNs))
	b = append(b, byte(len(r.Service)))
	b = append(b, r.Service...)
	b = binary.LittleEndian.AppendUint32(b, r.RecvLen)
	b = appendMsg(b, &r.Msg)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(r.Send)))
	return append(b, r.Send...)
}

// AppendReply appends r's frame to b.
func AppendReply(b []byte, r *Reply) []byte {
	b = appendHeader(b, KindReply, &r.Header)
	b = binary.LittleEndian.AppendUint16(b, r.Errno)
	b = appendMsg(b, &r.Msg)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(r.Recv)))
	return append(b, r.Recv...)
}

func appendHeader(b []byte, kind uint8, h *Header) []byte {
	b = append(b, magic, version, kind, byte(len(h.From)))
	b = binary.LittleEndian.AppendUint64(b, h.Seq)
	b = binary.LittleEndian.AppendUint64(b, uint64(h.SentNs))
	return append(b, h.From...)
}

func appendMsg(b []byte, m *ipc.Message) []byte {
	b = binary.LittleEndian.AppendUint16(b, uint16(m.Type))
	b = binary.LittleEndian.AppendUint16(b, m.Len)
	return append(b, m.Payload[:]...)
}

// reader reads a frame and remembers the first fault.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) take(n int) []byte {
	if r.bad || n < 0 || n > len(r.b) {
		r.bad = true
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) u8() uint8 {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if b := r.take(2); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if b := r.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if b := r.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// window reads a length-prefixed byte string of at most MaxWindow bytes,
// copied so the frame's buffer may be reused.
func (r *reader) window() []byte {
	n := r.u32()
	if n > MaxWindow {
		r.bad = true
		return nil
	}
	b := r.take(int(n))
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

func (r *reader) msg() ipc.Message {
	var m ipc.Message
	m.Type = ipc.Type(r.u16())
	m.Len = r.u16()
	copy(m.Payload[:], r.take(ipc.PayloadSize))
	if m.Len > ipc.PayloadSize || m.Type >= 0xff00 {
		r.bad = true // a remote node may not make a kernel's message, nor a Ping or a NoReply
	}
	return m
}

// DecodeHeader reads the header every frame starts with.
func DecodeHeader(frame []byte) (Header, error) {
	r := reader{b: frame}
	h := r.header()
	if r.bad {
		return Header{}, ErrFrame
	}
	return h, nil
}

func (r *reader) header() Header {
	if r.u8() != magic || r.u8() != version {
		r.bad = true
		return Header{}
	}
	var h Header
	h.Kind = r.u8()
	n := int(r.u8())
	h.Seq = r.u64()
	h.SentNs = int64(r.u64())
	h.From = string(r.take(n))
	if h.Kind != KindRequest && h.Kind != KindReply || h.SentNs < 0 {
		r.bad = true
	}
	return h
}

// DecodeRequest reads a Request frame.
func DecodeRequest(frame []byte) (Request, error) {
	r := reader{b: frame}
	q := Request{Header: r.header()}
	q.TimeoutNs = int64(r.u64())
	q.Service = string(r.take(int(r.u8())))
	q.RecvLen = r.u32()
	q.Msg = r.msg()
	q.Send = r.window()
	if r.bad || len(r.b) != 0 || q.Kind != KindRequest || q.Service == "" || q.TimeoutNs < 0 || q.RecvLen > MaxWindow {
		return Request{}, ErrFrame
	}
	return q, nil
}

// DecodeReply reads a Reply frame; recvLen is the receive window the
// request offered, which the reply may not overrun.
func DecodeReply(frame []byte, recvLen int) (Reply, error) {
	r := reader{b: frame}
	p := Reply{Header: r.header()}
	p.Errno = r.u16()
	p.Msg = r.msg()
	p.Recv = r.window()
	if r.bad || len(r.b) != 0 || p.Kind != KindReply || len(p.Recv) > recvLen {
		return Reply{}, ErrFrame
	}
	return p, nil
}
