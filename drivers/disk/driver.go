package disk

import (
	"fmt"

	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/internal/raid"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/linux"
)

// IRQ is the notification bit of the disk's completion interrupt: boot
// attaches the device to the "disk" service with it.
const IRQ uint64 = 1 << 0

// maxPending bounds the requests the driver holds; more fail with EBUSY.
const maxPending = 1024

// probe is the Op of the driver's own request: IDENTIFY the device.
const probe ipc.Type = 0

// Options configure a driver.
type Options struct {
	// Device is the name of the device to drive (hw.DefaultName).
	Device string
	// Sched names the I/O scheduler, a key of Schedulers
	// (DefaultScheduler).
	Sched string
	// Members, when set, are the devices of a software RAID the driver
	// serves as one disk (Device is then unused), laid out as Raid says
	// (its Disks is len(Members); a ChunkBlocks of 0 is 1). See raid.go.
	Members []string
	Raid    raid.Layout
}

// Driver is the disk driver server. Each instance has its own queue and
// counters; a restarted driver starts empty.
type Driver struct {
	opt   Options
	sched Scheduler
	arr   *array // the RAID of Options.Members, or nil

	// The device: looked up on first use, identified by the probe.
	dev    ipc.DevID
	opened bool
	geo    hw.Geometry // Blocks is 0 until the probe answers
	buf    []byte      // the data window of the operation on the device
	tag    uint64      // of the last operation started: see open

	// The requests, oldest first within each place.
	early []ipc.Message // arrived before the geometry was known
	cur   *Request      // on the device, or waiting for it to be free
	held  []*Request    // behind a Flush barrier; held[0] is that Flush
	seq   uint64
	head  int64 // the block after the last one transferred

	// The reply to the request Handle is serving, if it was answered
	// while queued (it failed at once): Handle returns it.
	serving  ipc.Endpoint
	answered bool
	direct   ipc.Message

	stats diskproto.DriverStats
}

// New returns a driver with an empty queue.
func New(o Options) (*Driver, error) {
	if o.Device == "" {
		o.Device = hw.DefaultName
	}
	if o.Sched == "" {
		o.Sched = DefaultScheduler
	}
	mk, ok := Schedulers[o.Sched]
	if !ok {
		return nil, fmt.Errorf("disk: scheduler %q is not one of %v", o.Sched, SchedulerNames())
	}
	d := &Driver{opt: o, sched: mk(), buf: make([]byte, ipc.MaxBulk)}
	if len(o.Members) > 0 {
		var err error
		if d.arr, err = newArray(o); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Handle serves one disk request. Reads, writes and flushes are queued and
// answered later (ipc.NoReply); Info and Stats at once; malformed requests
// at once with an errno.
func (d *Driver) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	switch req.Type {
	case diskproto.Stats:
		return d.statsReply(req)
	case diskproto.Read, diskproto.Write, diskproto.Flush, diskproto.Info:
	default:
		return ipc.ErrorReply(req, linux.ENOSYS)
	}
	if err := d.open(ctx); err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	d.serving, d.answered = req.Source, false
	rep := d.admit(ctx, req)
	d.kick(ctx)
	d.serving = ipc.KernelEndpoint
	if d.answered {
		return d.direct
	}
	return rep
}

// Notified takes the device's interrupt: it completes the operation on
// the device and starts the next.
func (d *Driver) Notified(ctx *ipc.Ctx, _ uint64) {
	if d.open(ctx) != nil {
		return
	}
	if d.arr != nil {
		d.arr.completions(ctx, d)
		d.kick(ctx)
		return
	}
	for c, ok := ctx.Sys.DevDone(d.dev); ok; c, ok = ctx.Sys.DevDone(d.dev) {
		r := d.cur
		if r == nil || !r.started || c.Tag != r.tag {
			continue // a dead instance's operation
		}
		d.cur = nil
		d.complete(ctx, r, c)
	}
	d.kick(ctx)
}

// open looks the device up on first use and drops the completions of
// operations a dead instance started. An operation of the dead instance
// may still be on the device and complete later: this instance's tags
// start from its opening time, shifted, so they differ from any tag an
// earlier instance used (that would take 65536 operations a nanosecond).
func (d *Driver) open(ctx *ipc.Ctx) error {
	if d.opened {
		return nil
	}
	if d.arr != nil {
		if err := d.arr.open(ctx); err != nil {
			return err
		}
		d.opened = true
		d.tag = uint64(ctx.Sys.Now()) << 16
		return nil
	}
	id, err := ctx.Sys.Device(d.opt.Device)
	if err != nil {
		return err
	}
	for _, ok := ctx.Sys.DevDone(id); ok; _, ok = ctx.Sys.DevDone(id) {
	}
	d.dev, d.opened = id, true
	d.tag = uint64(ctx.Sys.Now()) << 16
	return nil
}

// admit takes a request in: it waits for the probe while the geometry is
// unknown, and is checked and queued after.
func (d *Driver) admit(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if d.geo.Blocks != 0 {
		return d.accept(req)
	}
	if d.pending() >= maxPending {
		return ipc.ErrorReply(req, linux.EBUSY)
	}
	d.early = append(d.early, *req)
	return ipc.Message{Type: ipc.NoReply}
}

// accept answers Info, and a Flush with nothing before it, at once; it
// checks and queues reads, writes and other flushes.
func (d *Driver) accept(req *ipc.Message) ipc.Message {
	switch {
	case req.Type == diskproto.Info:
		d.stats.Requests++
		return d.infoReply(req)
	case req.Type == diskproto.Flush && d.idle():
		d.stats.Requests++
		return ipc.Reply(req)
	}
	r, e := d.check(req)
	if e == 0 && d.pending() >= maxPending {
		e = linux.EBUSY
	}
	if e != 0 {
		d.stats.Requests++
		return ipc.ErrorReply(req, e)
	}
	d.seq++
	r.Seq = d.seq
	if len(d.held) > 0 || r.Op == diskproto.Flush {
		d.held = append(d.held, r)
	} else {
		d.sched.Add(r)
	}
	d.stats.MaxQueue = max(d.stats.MaxQueue, int64(d.pending()))
	return ipc.Message{Type: ipc.NoReply}
}

// check turns a read, write or flush into a Request. A count of 0, or
// more blocks than one bulk transfer holds, is EINVAL; blocks outside the
// disk are ENOSPC for a write (as Linux's block devices answer) and EINVAL
// for a read.
func (d *Driver) check(req *ipc.Message) (*Request, ipc.Errno) {
	r := &Request{Op: req.Type, Caller: req.Source}
	if r.Op == diskproto.Flush {
		return r, 0
	}
	block, count := req.Word(0), req.Word(1)
	if count == 0 || count > uint64(ipc.MaxBulk/d.geo.BlockSize) {
		return nil, linux.EINVAL
	}
	if blocks := uint64(d.geo.Blocks); block >= blocks || count > blocks-block {
		if r.Op == diskproto.Write {
			return nil, linux.ENOSPC
		}
		return nil, linux.EINVAL
	}
	r.Block, r.Count = int64(block), int(count)
	return r, 0
}

// idle reports whether the driver holds no request.
func (d *Driver) idle() bool { return d.cur == nil && d.sched.Len() == 0 && len(d.held) == 0 }

// pending is the number of requests the driver holds: its queue depth.
func (d *Driver) pending() int {
	n := len(d.early) + d.sched.Len() + len(d.held)
	if d.cur != nil && d.cur.Op != probe {
		n++
	}
	return n
}

// answer replies to a queued request's caller — unless it is the caller
// whose request Handle is serving, which gets Handle's return value.
func (d *Driver) answer(ctx *ipc.Ctx, to ipc.Endpoint, rep *ipc.Message) {
	if to == d.serving {
		d.direct, d.answered = *rep, true
		return
	}
	_ = ctx.Sys.Reply(to, rep) // fails only if the caller gave up (died, timed out)
}

// done answers r with errno e (0: success).
func (d *Driver) done(ctx *ipc.Ctx, r *Request, e ipc.Errno) {
	d.stats.Requests++
	rep := ipc.Message{Type: r.Op, Errno: uint16(e)}
	d.answer(ctx, r.Caller, &rep)
}

func (d *Driver) infoReply(req *ipc.Message) ipc.Message {
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(d.geo.BlockSize))
	rep.SetWord(1, uint64(d.geo.Blocks))
	copy(rep.Payload[16:], d.geo.Kind)
	return rep
}

func (d *Driver) statsReply(req *ipc.Message) ipc.Message {
	rep := ipc.Reply(req)
	s := d.stats
	for i, v := range []int64{s.Requests, s.Seeks, s.SeekDistance, s.MaxQueue} {
		rep.SetWord(i, uint64(v))
	}
	return rep
}
