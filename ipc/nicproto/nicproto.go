package nicproto

import (
	"encoding/binary"
	"errors"

	"github.com/mkos/mkos/ipc"
)

// Name is the service name the NIC driver registers.
const Name = "nic"

// NotifyService is the service the driver notifies with RxBit when frames
// wait: the net server.
const NotifyService = "net"

// RxBit is the notification bit the driver sets at NotifyService when it
// has frames for Recv.
const RxBit uint64 = 1 << 0

// Frame sizes, in bytes.
const (
	// MinFrame is the shortest frame: an Ethernet header.
	MinFrame = 14
	// MaxFrame is the longest frame any card takes: a 9000-byte jumbo
	// payload and its header. Info says what this card takes.
	MaxFrame = 9000 + MinFrame
	// MinMTU is the smallest MTU a card reports (IPv4's minimum).
	MinMTU = 68
)

// Request types.
const (
	// Info reads the card's identity afresh and replies with its address
	// in Word(0) (the low 48 bits,
	// first byte highest), its MTU in Word(1), its speed in bits per
	// second in Word(2), the flags in Word(3) (FlagUp), and in Word(4)
	// the frames waiting in the driver for Recv.
	Info ipc.Type = iota + 1
	// Send queues the frame of Word(0) bytes in the caller's send window
	// for transmission and replies when it is queued, not sent.
	Send
	// Recv moves waiting frames into the caller's receive window, oldest
	// first, as a batch: each frame a 2-byte little-endian length and its
	// bytes. It takes as many as fit in Word(1) bytes (the window's size,
	// at most ipc.MaxBulk), at most Word(0) frames when that is not 0.
	// The reply has the number of frames in Word(0) and of bytes in
	// Word(1). EAGAIN when none waits.
	Recv
	// Stats replies with the driver's counters, DriverStats in Word(0)
	// to Word(5).
	Stats
	// Counters reads the card's statistics registers and copies them
	// into the caller's receive window: CountersSize bytes, the fields of
	// CardCounters in order as little-endian 64-bit words. The reply has
	// the number of bytes in Word(0).
	Counters
)

// CountersSize is the size of Counters' answer in the receive window.
const CountersSize = 8 * 8

// FlagUp in Info's flags: the link is up.
const FlagUp uint64 = 1 << 0

// Card is what Info returns.
type Card struct {
	MAC      [6]byte
	MTU      int
	SpeedBps int64
	Up       bool
	Waiting  int // frames waiting in the driver for Recv
}

// MaxFrameLen is the longest frame the card takes: MTU plus the header.
func (c Card) MaxFrameLen() int { return c.MTU + MinFrame }

// DriverStats is what Stats returns: the driver instance's counters.
type DriverStats struct {
	TxFrames   int64 // frames the card put on the wire
	TxDropped  int64 // refused by a full queue, or by the card (link down)
	RxFrames   int64 // frames taken off the card
	RxDropped  int64 // taken off the card into a full queue
	Delivered  int64 // frames handed to Recv callers
	Interrupts int64 // notifications the driver took
}

// CardCounters is what Counters returns: the card's own counters, which
// outlive the driver's restarts. TxFrames not grown for frames a Send
// accepted, or RxRead grown for frames no Recv returned, are frames lost
// in the driver (a restart drops its queues).
type CardCounters struct {
	TxFrames, TxBytes int64 // put on the wire
	TxErrors          int64 // refused or lost by the card
	RxFrames, RxBytes int64 // taken into the card's receive ring
	RxDropped         int64 // arrived at a full ring or a link down
	RxFiltered        int64 // addressed to another card
	RxRead            int64 // taken off the card by the driver
}

// Retries bounds how many times a Client makes a request again after
// ipc.ErrServiceDied; the error of the last try is returned.
const Retries = 3

// Client makes NIC requests to the service at Dst.
type Client struct {
	Sys ipc.Sys
	Dst ipc.Endpoint
	// TimeoutNs bounds each request in virtual time (0: none). A client
	// that must stay responsive — the net server, which rs pings — sets
	// it, so that a hung driver costs it one timeout (ETIMEDOUT), not its
	// life.
	TimeoutNs int64
}

// Info returns the card's identity.
func (c Client) Info() (Card, error) {
	req := ipc.Message{Type: Info}
	rep, err := c.call(&req, nil)
	if err != nil {
		return Card{}, err
	}
	mtu, speed, waiting := rep.Word(1), rep.Word(2), rep.Word(4)
	if mtu < MinMTU || mtu > MaxFrame-MinFrame || speed == 0 || speed > 1<<50 || waiting > 1<<20 || rep.Word(0)>>48 != 0 {
		return Card{}, ipc.ErrBadReply
	}
	card := Card{MTU: int(mtu), SpeedBps: int64(speed), Up: rep.Word(3)&FlagUp != 0, Waiting: int(waiting)}
	var w [8]byte
	binary.BigEndian.PutUint64(w[:], rep.Word(0))
	copy(card.MAC[:], w[2:])
	return card, nil
}

// Send queues frame for transmission.
func (c Client) Send(frame []byte) error {
	req := ipc.Message{Type: Send}
	req.SetWord(0, uint64(len(frame)))
	_, err := c.call(&req, &ipc.Extra{Send: frame})
	return err
}

// Recv moves up to max waiting frames (0: as many as fit) into buf and
// returns them, slices of buf, oldest first. With none waiting it returns
// EAGAIN.
func (c Client) Recv(buf []byte, max int) ([][]byte, error) {
	req := ipc.Message{Type: Recv}
	req.SetWord(0, uint64(max))
	req.SetWord(1, uint64(len(buf)))
	rep, err := c.call(&req, &ipc.Extra{Recv: buf})
	if err != nil {
		return nil, err
	}
	n, okN := ipc.Count(rep.Word(0), len(buf)/(MinFrame+2))
	size, okS := ipc.Count(rep.Word(1), len(buf))
	if !okN || !okS || n == 0 || (max > 0 && n > max) {
		return nil, ipc.ErrBadReply
	}
	frames, ok := SplitBatch(buf[:size])
	if !ok || len(frames) != n {
		return nil, ipc.ErrBadReply
	}
	return frames, nil
}

// Stats returns the driver instance's counters.
func (c Client) Stats() (DriverStats, error) {
	req := ipc.Message{Type: Stats}
	var x *ipc.Extra // not made again after a death: the counters are that instance's
	if c.TimeoutNs > 0 {
		x = &ipc.Extra{TimeoutNs: c.TimeoutNs}
	}
	rep, err := ipc.Do(c.Sys, c.Dst, &req, x, Errnos)
	if err != nil {
		return DriverStats{}, err
	}
	w := func(i int) int64 { return int64(rep.Word(i)) }
	return DriverStats{w(0), w(1), w(2), w(3), w(4), w(5)}, nil
}

// Counters reads the card's counters.
func (c Client) Counters() (CardCounters, error) {
	req := ipc.Message{Type: Counters}
	buf := make([]byte, CountersSize)
	rep, err := c.call(&req, &ipc.Extra{Recv: buf})
	if err != nil {
		return CardCounters{}, err
	}
	if rep.Word(0) != CountersSize {
		return CardCounters{}, ipc.ErrBadReply
	}
	var out CardCounters
	for i, w := range []*int64{&out.TxFrames, &out.TxBytes, &out.TxErrors, &out.RxFrames, &out.RxBytes, &out.RxDropped, &out.RxFiltered, &out.RxRead} {
		*w = int64(binary.LittleEndian.Uint64(buf[8*i:]))
	}
	return out, nil
}

// call makes the request, again after ipc.ErrServiceDied up to Retries
// times, and returns the reply.
func (c Client) call(req *ipc.Message, x *ipc.Extra) (ipc.Message, error) {
	if c.TimeoutNs > 0 {
		var withTimeout ipc.Extra
		if x != nil {
			withTimeout = *x
		}
		withTimeout.TimeoutNs = c.TimeoutNs
		x = &withTimeout
	}
	for try := 0; ; try++ {
		rep, err := ipc.Do(c.Sys, c.Dst, req, x, Errnos)
		if !errors.Is(err, ipc.ErrServiceDied) || try == Retries {
			return rep, err
		}
	}
}

// AppendFrame appends frame to a Recv batch.
func AppendFrame(batch, frame []byte) []byte {
	batch = binary.LittleEndian.AppendUint16(batch, uint16(len(frame)))
	return append(batch, frame...)
}

// SplitBatch returns the frames of a Recv batch; ok is false when a length
// is below MinFrame or runs past the batch.
func SplitBatch(batch []byte) (frames [][]byte, ok bool) {
	for len(batch) > 0 {
		if len(batch) < 2 {
			return nil, false
		}
		size := int(binary.LittleEndian.Uint16(batch))
		if size < MinFrame || 2+size > len(batch) {
			return nil, false
		}
		frames = append(frames, batch[2:2+size:2+size])
		batch = batch[2+size:]
	}
	return frames, true
}
