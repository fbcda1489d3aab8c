package nic

import (
	"encoding/binary"

	"github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/nicproto"
)

// IRQ is the notification bit of the card's interrupt: boot attaches the
// card to the "nic" service with it.
const IRQ uint64 = 1 << 0

// Bounds of the driver's queues, in frames.
const (
	maxTxQueue = 256
	maxRxQueue = 1024
	maxWaiting = 64 // requests waiting for an identify
)

// Options configure a driver.
type Options struct {
	// Device is the name of the card to drive (hw.DefaultName).
	Device string
	// Notify is the service told that frames wait
	// (nicproto.NotifyService).
	Notify string
}

// Driver is the NIC driver server. Each instance has its own queues and
// counters; a restarted driver starts empty.
type Driver struct {
	opt Options

	// The card: looked up on first use, identified before the first
	// request is served and again for each Info and Counters.
	dev          ipc.DevID
	opened       bool
	identified   bool
	needIdentify bool
	card         hw.Identity

	// The operation on the card (op 0: none) and its data window.
	op     uint16
	tag    uint64
	buf    []byte // the card reads or fills it until the completion
	out    []byte // where Recv builds a batch
	rxMore bool   // the card may hold frames: try a receive
	lastRx bool   // the last operation was a receive: a send goes next

	// The queues, oldest first.
	waiting []ipc.Message // requests waiting for an identify
	txq     [][]byte
	rxq     [][]byte

	// The service told of received frames, looked up when first needed.
	notifyTo ipc.Endpoint

	stats nicproto.DriverStats
}

// New returns a driver with empty queues.
func New(o Options) *Driver {
	if o.Device == "" {
		o.Device = hw.DefaultName
	}
	if o.Notify == "" {
		o.Notify = nicproto.NotifyService
	}
	return &Driver{opt: o, buf: make([]byte, ipc.MaxBulk), out: make([]byte, ipc.MaxBulk), rxMore: true}
}

// Handle serves one NIC request: Send and Recv at once once the card is
// identified, Info and Counters (and Send while the link is down) after a
// fresh identify (ipc.NoReply until it completes), Stats at once.
func (d *Driver) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	switch req.Type {
	case nicproto.Stats:
		return d.statsReply(req)
	case nicproto.Info, nicproto.Send, nicproto.Recv, nicproto.Counters:
	default:
		return ipc.ErrorReply(req, linux.ENOSYS)
	}
	if err := d.open(ctx); err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	// Info and Counters read the card afresh; so does a send while the
	// link was last seen down, to learn whether it came back.
	fresh := req.Type == nicproto.Info || req.Type == nicproto.Counters || req.Type == nicproto.Send && !d.card.Up
	if d.identified && !fresh {
		rep := d.serve(ctx, req)
		d.kick(ctx)
		return rep
	}
	if len(d.waiting) >= maxWaiting {
		return ipc.ErrorReply(req, linux.EBUSY)
	}
	d.waiting = append(d.waiting, *req)
	d.needIdentify = true
	d.kick(ctx)
	return ipc.Message{Type: ipc.NoReply}
}

// open looks the card up on first use and drops the completions of
// operations a dead instance started. Tags start from the opening time,
// shifted, so that they differ from any tag an earlier instance used.
func (d *Driver) open(ctx *ipc.Ctx) error {
	if d.opened {
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

// serve answers a request once the card is known.
func (d *Driver) serve(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	switch req.Type {
	case nicproto.Info:
		return d.infoReply(req)
	case nicproto.Send:
		return d.send(ctx, req)
	case nicproto.Counters:
		return d.countersReply(ctx, req)
	}
	return d.recv(ctx, req)
}

// send checks a frame, copies it from the caller's send window into the
// transmit queue, and answers.
func (d *Driver) send(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	n := req.Word(0)
	switch {
	case n < nicproto.MinFrame:
		return ipc.ErrorReply(req, linux.EINVAL)
	case n > uint64(d.card.MTU+hw.HeaderSize):
		return ipc.ErrorReply(req, linux.EMSGSIZE)
	case !d.card.Up:
		return ipc.ErrorReply(req, linux.ENETDOWN)
	case len(d.txq) >= maxTxQueue:
		d.stats.TxDropped++
		return ipc.ErrorReply(req, linux.ENOBUFS)
	}
	frame := make([]byte, n)
	got, err := ctx.Sys.CopyIn(req.Source, 0, frame)
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	if got < len(frame) {
		return ipc.ErrorReply(req, linux.EFAULT)
	}
	d.txq = append(d.txq, frame)
	return ipc.Reply(req)
}

// recv copies waiting frames, as a batch, into the caller's receive
// window: as many as fit in the size it says, at most the count it asks.
// The frames leave the queue only when the copy succeeded.
func (d *Driver) recv(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if len(d.rxq) == 0 {
		return ipc.ErrorReply(req, linux.EAGAIN)
	}
	window := int(min(req.Word(1), ipc.MaxBulk))
	limit := len(d.rxq)
	if w := req.Word(0); w > 0 && w < uint64(limit) {
		limit = int(w)
	}
	batch := d.out[:0:window]
	take := 0
	for take < limit && len(batch)+2+len(d.rxq[take]) <= window {
		batch = nicproto.AppendFrame(batch, d.rxq[take])
		take++
	}
	if take == 0 {
		return ipc.ErrorReply(req, linux.EMSGSIZE)
	}
	got, err := ctx.Sys.CopyOut(req.Source, 0, batch)
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	if got < len(batch) {
		return ipc.ErrorReply(req, linux.EFAULT)
	}
	clear(d.rxq[:take])
	d.rxq = d.rxq[take:]
	d.stats.Delivered += int64(take)
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(take))
	rep.SetWord(1, uint64(len(batch)))
	return rep
}

func (d *Driver) infoReply(req *ipc.Message) ipc.Message {
	rep := ipc.Reply(req)
	rep.SetWord(0, d.card.MAC.Uint64())
	rep.SetWord(1, uint64(d.card.MTU))
	rep.SetWord(2, uint64(d.card.SpeedBps))
	if d.card.Up {
		rep.SetWord(3, nicproto.FlagUp)
	}
	rep.SetWord(4, uint64(len(d.rxq)))
	return rep
}

// countersReply copies the card's counters, as the last identify read
// them, into the caller's receive window.
func (d *Driver) countersReply(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	c := d.card.Counters
	out := make([]byte, 0, nicproto.CountersSize)
	for _, v := range []int64{c.TxFrames, c.TxBytes, c.TxErrors, c.RxFrames, c.RxBytes, c.RxDropped, c.RxFiltered, c.RxRead} {
		out = binary.LittleEndian.AppendUint64(out, uint64(v))
	}
	n, err := ctx.Sys.CopyOut(req.Source, 0, out)
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	if n < len(out) {
		return ipc.ErrorReply(req, linux.EFAULT)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(n))
	return rep
}

func (d *Driver) statsReply(req *ipc.Message) ipc.Message {
	rep := ipc.Reply(req)
	s := d.stats
	for i, v := range []int64{s.TxFrames, s.TxDropped, s.RxFrames, s.RxDropped, s.Delivered, s.Interrupts} {
		rep.SetWord(i, uint64(v))
	}
	return rep
}
