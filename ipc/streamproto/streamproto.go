package streamproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Request types, shared by every stream service.
const (
	// Open opens the named stream (a device or pipe name the service
	// defines; "" for its default stream) with the open flags
	// (linux.O_RDONLY, O_WRONLY, O_RDWR): the flags in Word(0), the name in
	// the payload from byte 8 (see OpenArgs). Reply: the handle in
	// Word(0).
	Open ipc.Type = iota + 1
	// Read reads up to Word(1) bytes (at most ipc.MaxBulk, else EINVAL)
	// into the receive window. Reply: the byte count in Word(0); 0 means
	// end of file.
	Read
	// Write writes Word(1) bytes (at most ipc.MaxBulk, else EINVAL) from
	// the send window. Reply: the count.
	Write
	// Close closes the handle.
	Close
	// Dup makes another handle on the same open stream (for inherited
	// descriptors); a stream ends for readers when its last writer
	// handle closes. Reply: the new handle in Word(0).
	Dup
	// Pipe creates a pipe (pipe service only). Reply: the read handle in
	// Word(0), the write handle in Word(1).
	Pipe
	// Ioctl is a service-specific control: Word(1) the command, Word(2)
	// its argument (e.g. the tty's foreground process group, its mode).
	Ioctl
	// Ready asks, without waiting, what the handle is ready for: the reply's
	// Word(0) holds linux.POLLIN (a read would not wait), POLLOUT (a write
	// would not wait), POLLHUP (the other end is gone: a read returns end
	// of file) and POLLERR (a write fails) — poll(2)'s revents. Every
	// stream service answers it; poll in the user library loops over it.
	Ready
)

// ReadyBits are the bits a Ready reply may carry; the stub refuses others.
const ReadyBits = linux.POLLIN | linux.POLLOUT | linux.POLLERR | linux.POLLHUP

// Handle names an open stream within one service.
type Handle uint64

// Client talks to one stream service.
type Client struct {
	Sys ipc.Sys
	Dst ipc.Endpoint
}

// OpenStream opens the named stream.
func (c Client) OpenStream(name string, flags int) (Handle, error) {
	if len(name) > ipc.PayloadSize-8 {
		return 0, linux.ENAMETOOLONG
	}
	return c.handleCall(openMessage(name, flags), nil)
}

// openMessage lays an Open out: the flags in Word(0), the name from byte 8.
func openMessage(name string, flags int) *ipc.Message {
	req := &ipc.Message{Type: Open}
	req.SetWord(0, uint64(flags))
	n := copy(req.Payload[8:], name)
	req.Len = uint16(8 + n)
	return req
}

// OpenArgs decodes an Open request: the name and the flags.
func OpenArgs(m *ipc.Message) (name string, flags int, err error) {
	if m.Len < 8 || int(m.Len) > ipc.PayloadSize {
		return "", 0, linux.EINVAL
	}
	return string(m.Payload[8:m.Len]), int(m.Word(0)), nil
}

// CountOf returns the byte count of a Read or Write request, Word(1), and
// whether a server may serve it: at most ipc.MaxBulk (a larger count is
// EINVAL, never converted to an int first).
func CountOf(req *ipc.Message) (int, bool) {
	return ipc.Count(req.Word(1), ipc.MaxBulk)
}

// Read reads into buf; 0 with a nil error is end of file.
func (c Client) Read(h Handle, buf []byte) (int, error) {
	req := ipc.Message{Type: Read}
	req.SetWord(0, uint64(h))
	buf = buf[:min(len(buf), ipc.MaxBulk)]
	req.SetWord(1, uint64(len(buf)))
	rep, err := c.call(&req, &ipc.Extra{Recv: buf})
	if err != nil {
		return 0, err
	}
	n, ok := ipc.Count(rep.Word(0), len(buf))
	if !ok {
		return 0, ipc.ErrBadReply // a garbage count: never past the buffer
	}
	return n, nil
}

// Write writes all of data, in pieces of at most ipc.MaxBulk bytes.
func (c Client) Write(h Handle, data []byte) (int, error) {
	done := 0
	for done < len(data) {
		n := min(len(data)-done, ipc.MaxBulk)
		req := ipc.Message{Type: Write}
		req.SetWord(0, uint64(h))
		req.SetWord(1, uint64(n))
		rep, err := c.call(&req, &ipc.Extra{Send: data[done : done+n]})
		got, ok := ipc.Count(rep.Word(0), n)
		if !ok {
			return done, ipc.ErrBadReply // a garbage count
		}
		done += got // a failed write may have written some first
		if err != nil {
			return done, err
		}
		if got == 0 {
			return done, ipc.ErrBadReply // no progress: a correct server never does this
		}
	}
	return done, nil
}

// Close closes h.
func (c Client) Close(h Handle) error {
	req := ipc.Message{Type: Close}
	req.SetWord(0, uint64(h))
	_, err := c.call(&req, nil)
	return err
}

// Dup returns another handle on h's stream.
func (c Client) Dup(h Handle) (Handle, error) {
	req := ipc.Message{Type: Dup}
	req.SetWord(0, uint64(h))
	return c.handleCall(&req, nil)
}

// Pipe creates a pipe and returns its read and write handles.
func (c Client) Pipe() (r, w Handle, err error) {
	req := ipc.Message{Type: Pipe}
	rep, err := c.call(&req, nil)
	return Handle(rep.Word(0)), Handle(rep.Word(1)), err
}

// Ioctl sends a service-specific control and returns its result word.
func (c Client) Ioctl(h Handle, cmd, arg uint64) (uint64, error) {
	req := ipc.Message{Type: Ioctl}
	req.SetWord(0, uint64(h))
	req.SetWord(1, cmd)
	req.SetWord(2, arg)
	rep, err := c.call(&req, nil)
	return rep.Word(0), err
}

// Ready returns what h is ready for (Ready: linux.POLLIN, POLLOUT,
// POLLHUP, POLLERR), without waiting.
func (c Client) Ready(h Handle) (uint64, error) {
	req := ipc.Message{Type: Ready}
	req.SetWord(0, uint64(h))
	rep, err := c.call(&req, nil)
	if err != nil {
		return 0, err
	}
	if rep.Word(0)&^ReadyBits != 0 {
		return 0, ipc.ErrBadReply
	}
	return rep.Word(0), nil
}

func (c Client) handleCall(req *ipc.Message, x *ipc.Extra) (Handle, error) {
	rep, err := c.call(req, x)
	return Handle(rep.Word(0)), err
}

func (c Client) call(req *ipc.Message, x *ipc.Extra) (ipc.Message, error) {
	return ipc.Do(c.Sys, c.Dst, req, x, Errnos)
}
