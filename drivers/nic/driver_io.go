package nic

import (
	"github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/nicproto"
)

// Notified takes the card's interrupt — a completion, or frames that
// arrived — and starts the next operation.
func (d *Driver) Notified(ctx *ipc.Ctx, bits uint64) {
	if bits&IRQ == 0 || d.open(ctx) != nil {
		return
	}
	d.stats.Interrupts++
	d.rxMore = true
	for c, ok := ctx.Sys.DevDone(d.dev); ok; c, ok = ctx.Sys.DevDone(d.dev) {
		if d.op == 0 || c.Tag != d.tag {
			continue // a dead instance's operation
		}
		op := d.op
		d.op = 0
		d.complete(ctx, op, c)
	}
	d.kick(ctx)
}

// kick keeps the card busy: when it is free, it starts an identify (when
// requests wait for one), a receive while the card may hold frames, or the next send — a send first
// after a receive, so that neither direction starves the other.
// LECTURE: nic-interrupt
func (d *Driver) kick(ctx *ipc.Ctx) {
	for d.op == 0 {
		switch {
		case d.needIdentify:
			if !d.start(ctx, hw.OpIdentify, d.buf[:hw.IdentifySize], 0) {
				return
			}
			d.needIdentify = false
		case len(d.txq) > 0 && (d.lastRx || !d.rxMore || len(d.rxq) >= maxRxQueue):
			d.startSend(ctx)
		case d.rxMore && len(d.rxq) < maxRxQueue:
			if !d.start(ctx, hw.OpRecv, d.buf, 0) {
				d.rxMore = false
			}
		default:
			return
		}
	}
}

// startSend starts the first queued frame; a frame the card refuses is
// dropped and counted.
func (d *Driver) startSend(ctx *ipc.Ctx) {
	frame := d.txq[0]
	n := copy(d.buf, frame)
	if d.start(ctx, hw.OpSend, d.buf[:n], int64(n)) {
		d.txq[0] = nil
		d.txq = d.txq[1:]
	}
}

// start starts op on the card and reports whether it did. The card
// refusing a send drops the frame; EBUSY (a dead instance's operation is
// on the card: its interrupt will come) and EAGAIN (no frame waits) start
// nothing.
func (d *Driver) start(ctx *ipc.Ctx, op uint16, buf []byte, arg int64) bool {
	d.tag++
	req := ipc.DevRequest{Op: op, Arg: [4]int64{arg}, Buf: buf, Tag: d.tag}
	err := ctx.Sys.DevStart(d.dev, &req)
	e := ipc.ErrnoOf(err)
	switch {
	case e == 0:
		d.op, d.lastRx = op, op == hw.OpRecv
		return true
	case e == linux.EBUSY, e == linux.EAGAIN:
		return false
	case op == hw.OpSend:
		d.sendFailed(e)
		d.txq[0] = nil
		d.txq = d.txq[1:]
		return false
	case op == hw.OpIdentify:
		d.identifyFailed(ctx, e)
		return false
	}
	return false // a receive the card refuses: try again on the next interrupt
}

// complete takes the completion c of op.
func (d *Driver) complete(ctx *ipc.Ctx, op uint16, c ipc.DevCompletion) {
	switch {
	case op == hw.OpIdentify && c.Errno != 0:
		d.identifyFailed(ctx, c.Errno)
	case op == hw.OpIdentify:
		d.takeIdentity(ctx)
	case op == hw.OpSend && c.Errno != 0:
		d.sendFailed(c.Errno)
	case op == hw.OpSend:
		d.stats.TxFrames++
		d.card.Up = true
	case op == hw.OpRecv && c.Errno == 0:
		d.received(ctx, d.buf[:min(c.N, len(d.buf))])
	}
}

// sendFailed counts a frame the card refused or lost; ENETDOWN says the
// link is down, which Info reports and Send answers until a send works.
func (d *Driver) sendFailed(e ipc.Errno) {
	d.stats.TxDropped++
	if e == linux.ENETDOWN {
		d.card.Up = false
	}
}

// received queues the frames of a receive's batch and tells net.
func (d *Driver) received(ctx *ipc.Ctx, batch []byte) {
	got := 0
	for f, rest, ok := hw.NextFrame(batch); ok; f, rest, ok = hw.NextFrame(rest) {
		d.stats.RxFrames++
		if len(d.rxq) >= maxRxQueue {
			d.stats.RxDropped++
			continue
		}
		kept := make([]byte, len(f)) // make and copy: the compiler skips the zeroing
		copy(kept, f)
		d.rxq = append(d.rxq, kept)
		got++
	}
	if got > 0 {
		d.notify(ctx)
	}
}

// notify tells the notify service that frames wait. Until that service
// exists nobody is told; its first Recv finds them.
func (d *Driver) notify(ctx *ipc.Ctx) {
	if d.notifyTo == 0 {
		ep, err := ipc.Dial(ctx.Sys, d.opt.Notify)
		if err != nil {
			return
		}
		d.notifyTo = ep
	}
	_ = ctx.Sys.Notify(d.notifyTo, nicproto.RxBit) // refused only by a record without notify: boot gives it
}

// takeIdentity reads the identify's answer and serves the requests that
// waited for it.
func (d *Driver) takeIdentity(ctx *ipc.Ctx) {
	id, ok := hw.DecodeIdentify(d.buf)
	if !ok || id.MTU < nicproto.MinMTU || id.MTU+hw.HeaderSize > nicproto.MaxFrame || id.SpeedBps <= 0 {
		d.identifyFailed(ctx, linux.EIO)
		return
	}
	d.card, d.identified = id, true
	waiting := d.waiting
	d.waiting = nil
	for i := range waiting {
		rep := d.serve(ctx, &waiting[i])
		_ = ctx.Sys.Reply(waiting[i].Source, &rep) // fails only if the caller gave up
	}
}

// identifyFailed fails the requests that waited for the identify; the
// next request tries again.
func (d *Driver) identifyFailed(ctx *ipc.Ctx, e ipc.Errno) {
	waiting := d.waiting
	d.waiting = nil
	for i := range waiting {
		rep := ipc.ErrorReply(&waiting[i], e)
		_ = ctx.Sys.Reply(waiting[i].Source, &rep)
	}
}
