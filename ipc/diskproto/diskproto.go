package diskproto

import (
	"errors"

	"github.com/mkos/mkos/ipc"
)

// Name is the service name the disk driver registers.
const Name = "disk"

// Request types.
const (
	// Read reads Word(1) blocks starting at block Word(0) into the
	// caller's receive window.
	Read ipc.Type = iota + 1
	// Write writes Word(1) blocks starting at block Word(0) from the
	// caller's send window. The reply comes when the data is on the
	// medium (the driver has no write-back cache).
	Write
	// Flush replies when every write started before it is on the medium:
	// a barrier for journaling.
	Flush
	// Info replies with the block size in Word(0), the number of blocks
	// in Word(1), and the device kind in the payload bytes from 16 on.
	Info
	// Stats replies with the driver's counters: Word(0) requests served,
	// Word(1) seeks, Word(2) total seek distance in blocks, Word(3) the
	// deepest queue seen.
	Stats
)

// Geometry is what Info returns.
type Geometry struct {
	BlockSize int
	Blocks    int64
	Kind      string
}

// DriverStats is what Stats returns.
type DriverStats struct {
	Requests, Seeks, SeekDistance, MaxQueue int64
}

// Retries bounds how many times a Client makes a request again after
// ipc.ErrServiceDied; the error of the last try is returned.
const Retries = 3

// Client makes disk requests to the service at Dst.
type Client struct {
	Sys ipc.Sys
	Dst ipc.Endpoint
}

// ReadBlocks reads len(buf)/blockSize blocks starting at block into buf.
func (c Client) ReadBlocks(block int64, count int, buf []byte) error {
	req := ipc.Message{Type: Read}
	req.SetWord(0, uint64(block))
	req.SetWord(1, uint64(count))
	_, err := c.call(&req, &ipc.Extra{Recv: buf})
	return err
}

// WriteBlocks writes count blocks from buf starting at block.
func (c Client) WriteBlocks(block int64, count int, buf []byte) error {
	req := ipc.Message{Type: Write}
	req.SetWord(0, uint64(block))
	req.SetWord(1, uint64(count))
	_, err := c.call(&req, &ipc.Extra{Send: buf})
	return err
}

// Flush waits until every earlier write is on the medium.
func (c Client) Flush() error {
	req := ipc.Message{Type: Flush}
	_, err := c.call(&req, nil)
	return err
}

// Info returns the disk's geometry.
func (c Client) Info() (Geometry, error) {
	req := ipc.Message{Type: Info}
	rep, err := c.call(&req, nil)
	if err != nil {
		return Geometry{}, err
	}
	kind := rep.Payload[16:]
	n := 0
	for n < len(kind) && kind[n] != 0 {
		n++
	}
	if rep.Word(0) == 0 || rep.Word(0) > MaxBlockSize || rep.Word(1) > 1<<62 {
		return Geometry{}, ipc.ErrBadReply
	}
	return Geometry{BlockSize: int(rep.Word(0)), Blocks: int64(rep.Word(1)), Kind: string(kind[:n])}, nil
}

// MaxBlockSize bounds the block size an Info reply may claim: a larger
// one is garbage.
const MaxBlockSize = ipc.MaxBulk

// Stats returns the driver's counters.
func (c Client) Stats() (DriverStats, error) {
	req := ipc.Message{Type: Stats}
	rep, err := ipc.Do(c.Sys, c.Dst, &req, nil, Errnos)
	if err != nil {
		return DriverStats{}, err
	}
	return DriverStats{int64(rep.Word(0)), int64(rep.Word(1)), int64(rep.Word(2)), int64(rep.Word(3))}, nil
}

// call makes the request, again after ipc.ErrServiceDied up to Retries
// times, and returns the reply.
func (c Client) call(req *ipc.Message, x *ipc.Extra) (ipc.Message, error) {
	for try := 0; ; try++ {
		rep, err := ipc.Do(c.Sys, c.Dst, req, x, Errnos)
		if !errors.Is(err, ipc.ErrServiceDied) || try == Retries {
			return rep, err
		}
	}
}
