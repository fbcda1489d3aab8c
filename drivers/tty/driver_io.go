package tty

import (
	"errors"

	"github.com/mkos/mkos/drivers/tty/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// txChunk bounds one transmitter operation.
const txChunk = 4096

// start looks the UART up on first use. Completions already there are a
// dead predecessor's: an OpWait's is not needed (a new wait completes at
// once while bytes wait in the FIFO), an OpRead's bytes went to the dead
// driver's buffer and are lost, an OpWrite's bytes were shown. This
// instance's tags start from its opening time, shifted, as the disk
// driver's do, so they differ from any tag a predecessor used.
func (d *Driver) start(ctx *ipc.Ctx) error {
	if d.opened {
		return nil
	}
	rx, err := ctx.Sys.Device(hw.RxName(d.opt.Device))
	if err != nil {
		return err
	}
	tx, err := ctx.Sys.Device(hw.TxName(d.opt.Device))
	if err != nil {
		return err
	}
	for _, ok := ctx.Sys.DevDone(rx); ok; _, ok = ctx.Sys.DevDone(rx) {
	}
	for _, ok := ctx.Sys.DevDone(tx); ok; _, ok = ctx.Sys.DevDone(tx) {
	}
	d.rx, d.tx, d.opened = rx, tx, true
	d.tag = uint64(ctx.Sys.Now()) << 16
	d.armRx(ctx)
	return nil
}

// Notified takes the UART's interrupts: input waiting or read, output
// shown.
func (d *Driver) Notified(ctx *ipc.Ctx, _ uint64) {
	if d.start(ctx) != nil {
		return
	}
	for c, ok := ctx.Sys.DevDone(d.rx); ok; c, ok = ctx.Sys.DevDone(d.rx) {
		d.received(ctx, c)
	}
	for c, ok := ctx.Sys.DevDone(d.tx); ok; c, ok = ctx.Sys.DevDone(d.tx) {
		d.shown(ctx, c)
	}
	d.armRx(ctx)
	d.kickTx(ctx)
	d.pollers.Wake(ctx.Sys, d.readiness)
}

// armRx starts a wait for keys when none is on the receiver and someone
// wants input: always with Listen, else while a read waits or once a
// program polled the console (it wants to hear of keys before it reads).
func (d *Driver) armRx(ctx *ipc.Ctx) {
	if !d.opened || d.rxState != rxIdle || d.hup || (!d.opt.Listen && len(d.readers) == 0 && !d.polled) {
		return
	}
	d.tag++
	err := ctx.Sys.DevStart(d.rx, &ipc.DevRequest{Op: hw.OpWait, Tag: d.tag})
	if err == nil || errors.Is(err, linux.EBUSY) {
		d.rxState = rxWaiting // EBUSY: a predecessor's operation; its interrupt comes to us
	}
}

// received completes a receiver operation.
func (d *Driver) received(ctx *ipc.Ctx, c ipc.DevCompletion) {
	switch {
	case c.Op == hw.OpWait:
		d.rxState = rxIdle
		switch ipc.Errno(c.Errno) {
		case 0:
			d.tag++
			d.rxTag = d.tag
			err := ctx.Sys.DevStart(d.rx, &ipc.DevRequest{Op: hw.OpRead, Buf: d.rxBuf[:min(c.N, len(d.rxBuf))], Tag: d.rxTag})
			if err == nil {
				d.rxState = rxReading
			}
		case hw.ErrHangup:
			d.hangup(ctx) // the keyboard is gone
		case hw.ErrIdle:
			d.checkLeader(ctx)
		}
	case c.Op == hw.OpRead && c.Tag == d.rxTag && d.rxState == rxReading:
		d.rxState = rxIdle
		d.typed(ctx, d.rxBuf[:c.N])
	default:
		d.rxState = rxIdle // a predecessor's read: its bytes are lost
	}
}

// hangup stops listening; the reads waiting get what is left, then end
// of file.
func (d *Driver) hangup(ctx *ipc.Ctx) {
	d.hup = true
	d.serveReaders(ctx)
}

// checkLeader hangs the console up when its session leader has died, as
// a terminal is hung up when its session ends: that is how a run with a
// live console ends after init exits. It runs on each idle wait of a live
// keyboard (every IdleNs); asking the kernel is a Notify with no bits,
// which fails for a dead task.
func (d *Driver) checkLeader(ctx *ipc.Ctx) {
	if d.leader != 0 && errors.Is(ctx.Sys.Notify(d.leader, 0), ipc.ErrDead) {
		d.hangup(ctx)
	}
}

// typed runs typed bytes through the line discipline: echo, signals, and
// answers to waiting reads.
func (d *Driver) typed(ctx *ipc.Ctx, in []byte) {
	var echo []byte
	for _, b := range in {
		var sig linux.Signal
		echo, sig = d.ld.input(b, echo)
		if sig != 0 {
			d.echo(echo)
			echo = nil
			d.signal(ctx, sig)
		}
	}
	d.echo(echo)
	d.serveReaders(ctx)
}

// signal sends sig to the foreground process group through pm, and
// interrupts the reads that wait (EINTR), so that a reader which catches
// the signal runs its handler now — a shell redraws its prompt. With no
// foreground group, or no pm, the key only flushes the input. Group 1 is
// never signalled: kill(-1) would mean every process.
//
// The call to pm blocks. In the kernel, other tasks' requests run this
// driver's Handle meanwhile, so the reads to interrupt are taken out
// before the call and reads that arrive during it stay.
func (d *Driver) signal(ctx *ipc.Ctx, sig linux.Signal) {
	if d.fg <= 1 {
		return
	}
	interrupted := d.readers
	d.readers = nil
	if pm, err := pmproto.Dial(ctx.Sys); err == nil {
		_ = pm.Kill(-d.fg, sig) // ESRCH: the group has ended; nothing to do
	}
	for _, r := range interrupted {
		rep := ipc.ErrorReply(&ipc.Message{Type: streamproto.Read}, linux.EINTR)
		_ = ctx.Sys.Reply(r.caller, &rep) // fails for a reader the signal killed
	}
}

// serveReaders answers the waiting reads, oldest first, while there is
// input (or end of file). A reader that is gone (dead, or timed out) is
// skipped and its input kept. When the caller Handle serves is answered,
// its reply is returned with done set.
func (d *Driver) serveReaders(ctx *ipc.Ctx) (rep ipc.Message, done bool) {
	for len(d.readers) > 0 && (d.ld.readable() || d.hup) {
		r := d.readers[0]
		d.readers = d.readers[1:]
		data, ok := d.ld.next(r.n)
		if len(data) > 0 {
			if _, err := ctx.Sys.CopyOut(r.caller, 0, data); err != nil {
				continue
			}
		}
		m := ipc.Message{Type: streamproto.Read}
		m.SetWord(0, uint64(len(data)))
		if r.caller == d.serving {
			rep, done = m, true
		} else if ctx.Sys.Reply(r.caller, &m) != nil {
			continue
		}
		if ok {
			d.ld.advance(len(data))
		}
	}
	return rep, done
}

// echo queues echoed bytes for the screen.
func (d *Driver) echo(b []byte) {
	if len(b) == 0 {
		return
	}
	if n := len(d.out); n > 0 && d.out[n-1].caller == 0 && (n > 1 || !d.txBusy) {
		d.out[n-1].data = append(d.out[n-1].data, b...) // not on the wire yet
		return
	}
	d.out = append(d.out, segment{data: append([]byte(nil), b...)})
}

// kickTx starts showing the oldest output when the transmitter is free.
func (d *Driver) kickTx(ctx *ipc.Ctx) {
	for d.opened && !d.txBusy && len(d.out) > 0 {
		s := &d.out[0]
		d.tag++
		d.txTag = d.tag
		err := ctx.Sys.DevStart(d.tx, &ipc.DevRequest{Op: hw.OpWrite, Buf: s.data[s.sent:min(s.sent+txChunk, len(s.data))], Tag: d.txTag})
		if err == nil || errors.Is(err, linux.EBUSY) {
			d.txBusy = true // EBUSY: a predecessor's write; its interrupt comes to us
			return
		}
		d.finishSegment(ctx, ipc.ErrnoOf(err))
	}
}

// shown completes a transmitter operation.
func (d *Driver) shown(ctx *ipc.Ctx, c ipc.DevCompletion) {
	d.txBusy = false
	if c.Tag != d.txTag || len(d.out) == 0 {
		return // a predecessor's
	}
	s := &d.out[0]
	s.sent += c.N
	switch {
	case c.Errno != 0:
		d.finishSegment(ctx, ipc.Errno(c.Errno))
	case s.sent >= len(s.data):
		d.finishSegment(ctx, 0)
	}
}

// finishSegment drops the oldest output and answers its writer: the
// count, or errno e when some of it could not be shown.
func (d *Driver) finishSegment(ctx *ipc.Ctx, e ipc.Errno) {
	s := d.out[0]
	d.out = d.out[1:]
	if s.caller == 0 {
		return
	}
	rep := ipc.Message{Type: streamproto.Write, Errno: uint16(e)}
	rep.SetWord(0, uint64(s.sent))
	_ = ctx.Sys.Reply(s.caller, &rep) // fails only if the writer is gone
}
