package disk

import (
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/linux"
)

// kick keeps the device busy: when it is free, it starts the next
// request, failing those the device refuses. LECTURE: driver-interrupt
func (d *Driver) kick(ctx *ipc.Ctx) {
	for {
		if d.cur == nil {
			if d.cur = d.next(ctx); d.cur == nil {
				return
			}
		}
		if d.cur.started {
			return
		}
		e := d.start(ctx, d.cur)
		switch {
		case e == 0 && d.cur == nil:
			continue // a RAID request that ended at once (a member refused it)
		case e == 0:
			d.cur.started = true
			return
		case e == linux.EBUSY:
			return // a dead instance's operation: its interrupt frees the device
		}
		r := d.cur
		d.cur = nil
		d.fail(ctx, r, e)
	}
}

// next returns the request to start: the probe while the geometry is
// unknown, else the scheduler's choice. When the queue is empty and a
// Flush barrier is first in line, every request before it has completed:
// the Flush is answered and the requests behind it admitted.
func (d *Driver) next(ctx *ipc.Ctx) *Request {
	if d.geo.Blocks == 0 {
		if len(d.early) == 0 {
			return nil
		}
		return &Request{Op: probe}
	}
	for {
		if r := d.sched.Next(d.head); r != nil {
			return r
		}
		if len(d.held) == 0 {
			return nil
		}
		flush := d.held[0]
		d.held = d.held[1:]
		d.done(ctx, flush, 0)
		for len(d.held) > 0 && d.held[0].Op != diskproto.Flush {
			d.sched.Add(d.held[0])
			d.held = d.held[1:]
		}
	}
}

// start starts r on the device. A write's data is copied in from the
// caller's send window first.
func (d *Driver) start(ctx *ipc.Ctx, r *Request) ipc.Errno {
	if d.arr != nil {
		if e := d.arr.start(ctx, d, r); e != 0 {
			return e
		}
		d.account(r)
		return 0
	}
	dr := ipc.DevRequest{Op: hw.OpIdentify, Buf: d.buf[:hw.IdentifySize]}
	if r.Op != probe {
		dr = ipc.DevRequest{Op: hw.OpRead, Arg: [4]int64{r.Block, int64(r.Count)}, Buf: d.buf[:r.Count*d.geo.BlockSize]}
		if r.Op == diskproto.Write {
			dr.Op = hw.OpWrite
			if e := d.copy(ctx.Sys.CopyIn, r.Caller, dr.Buf); e != 0 {
				return e
			}
		}
	}
	d.tag++
	dr.Tag = d.tag
	if err := ctx.Sys.DevStart(d.dev, &dr); err != nil {
		return ipc.ErrnoOf(err)
	}
	r.tag = d.tag
	d.account(r)
	return 0
}

// account counts r's seek, from the block after the last one transferred.
func (d *Driver) account(r *Request) {
	if r.Op == probe {
		return
	}
	if r.Block != d.head {
		d.stats.Seeks++
		d.stats.SeekDistance += dist(r.Block, d.head)
	}
	d.head = r.Block + int64(r.Count)
}

// copy moves buf through the caller's bulk window (CopyIn or CopyOut). A
// window smaller than the request is EFAULT.
func (d *Driver) copy(move func(ipc.Endpoint, int, []byte) (int, error), caller ipc.Endpoint, buf []byte) ipc.Errno {
	n, err := move(caller, 0, buf)
	if err != nil {
		return ipc.ErrnoOf(err)
	}
	if n < len(buf) {
		return linux.EFAULT
	}
	return 0
}

// complete finishes r, whose device operation completed with c: a read's
// data goes out to the caller's receive window, then the caller is
// answered.
func (d *Driver) complete(ctx *ipc.Ctx, r *Request, c ipc.DevCompletion) {
	e := c.Errno
	switch {
	case r.Op == probe:
		d.identified(ctx, e)
		return
	case e == 0 && r.Op == diskproto.Read:
		e = d.copy(ctx.Sys.CopyOut, r.Caller, d.buf[:r.Count*d.geo.BlockSize])
	}
	d.done(ctx, r, e)
}

// fail answers r with errno e; a failed probe fails the requests that
// waited for it.
func (d *Driver) fail(ctx *ipc.Ctx, r *Request, e ipc.Errno) {
	if r.Op == probe {
		d.identified(ctx, e)
		return
	}
	d.done(ctx, r, e)
}

// identified takes the probe's answer (or its failure, e) and admits the
// requests that waited for it.
func (d *Driver) identified(ctx *ipc.Ctx, e ipc.Errno) {
	var g hw.Geometry
	if e == 0 {
		g = hw.DecodeIdentify(d.buf)
	}
	d.admitEarly(ctx, g, e)
}

// admitEarly takes the disk's geometry g (or the probe's failure, e) and
// admits the requests that waited for it.
func (d *Driver) admitEarly(ctx *ipc.Ctx, g hw.Geometry, e ipc.Errno) {
	if e == 0 {
		if g.Blocks <= 0 || g.BlockSize < hw.MinBlockSize || g.BlockSize > hw.MaxBlockSize {
			e = linux.EIO
		} else {
			d.geo = g
		}
	}
	early := d.early
	d.early = nil
	for i := range early {
		m := &early[i]
		rep := ipc.ErrorReply(m, e)
		if e == 0 {
			rep = d.accept(m)
		} else {
			d.stats.Requests++
		}
		if rep.Type != ipc.NoReply {
			d.answer(ctx, m.Source, &rep)
		}
	}
}
