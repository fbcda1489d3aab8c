package hw

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Receiver is the UART's receive side. It implements the kernel's Device
// interface structurally.
type Receiver struct{ u *UART }

// Name is RxName of the UART's name.
func (r *Receiver) Name() string { return RxName(r.u.opt.Name) }

// Start begins an OpWait or an OpRead at virtual time now.
func (r *Receiver) Start(now int64, req *ipc.DevRequest) (int64, ipc.Errno) {
	u := r.u
	switch req.Op {
	case OpWait:
		if u.kb.live() && len(u.fifo) == 0 && !u.kb.pending() {
			u.idle = wallNow()
			return now + u.opt.IdleNs, 0
		}
		return now + u.opt.ByteNs, 0 // the interrupt of the first byte
	case OpRead:
		n := min(len(req.Buf), len(u.fifo))
		return now + max(int64(n), 1)*u.opt.ByteNs, 0
	}
	return 0, ipc.ErrInvalid
}

// Finish completes the operation at virtual time now.
func (r *Receiver) Finish(now int64, req *ipc.DevRequest) ipc.DevCompletion {
	u := r.u
	if req.Op == OpRead {
		n := copy(req.Buf, u.fifo)
		u.fifo = u.fifo[n:]
		u.stats.BytesIn += int64(n)
		return ipc.DevCompletion{N: n}
	}
	u.stats.Waits++
	if len(u.fifo) == 0 {
		u.fifo = u.kb.take(u.fifo, u.idle.Add(nsDuration(u.opt.IdleNs)))
	}
	switch {
	case len(u.fifo) > 0:
		return ipc.DevCompletion{N: len(u.fifo)}
	case u.kb.ended():
		return ipc.DevCompletion{Errno: ErrHangup}
	}
	u.stats.IdleWaits++
	return ipc.DevCompletion{Errno: ErrIdle}
}

// Transmitter is the UART's transmit side, a kernel Device.
type Transmitter struct{ u *UART }

// Name is TxName of the UART's name.
func (t *Transmitter) Name() string { return TxName(t.u.opt.Name) }

// Start begins an OpWrite of len(req.Buf) bytes at virtual time now.
func (t *Transmitter) Start(now int64, req *ipc.DevRequest) (int64, ipc.Errno) {
	if req.Op != OpWrite {
		return 0, ipc.ErrInvalid
	}
	return now + max(int64(len(req.Buf)), 1)*t.u.opt.ByteNs, 0
}

// Finish shows the bytes on the host screen.
func (t *Transmitter) Finish(now int64, req *ipc.DevRequest) ipc.DevCompletion {
	n, err := t.u.opt.Out.Write(req.Buf)
	t.u.stats.BytesOut += int64(n)
	c := ipc.DevCompletion{N: n}
	if err != nil {
		c.Errno = linux.EIO // the screen is gone
	}
	return c
}
