package tty

import (
	"github.com/mkos/mkos/drivers/tty/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// The interrupt bits of the UART's two devices: boot attaches the
// receiver with RxIRQ and the transmitter with TxIRQ to the "tty"
// service.
const (
	RxIRQ uint64 = 1 << 0
	TxIRQ uint64 = 1 << 1
)

// Options configure a driver.
type Options struct {
	// Device is the name of the UART to drive (hw.DefaultName).
	Device string
	// Listen keeps a wait for keys on the receiver at all times once the
	// driver has started, as a live keyboard needs: ^C reaches the
	// foreground group while nobody reads, and the console keeps the run
	// alive until it hangs up. Without it (a script keyboard) the driver
	// asks for input only while a read waits, so the script is read as
	// programs read it, and a console nobody reads lets the run end.
	Listen bool
}

// Driver is the console driver: the tty service. Each instance starts
// with an empty line discipline in cooked mode and no foreground group.
type Driver struct {
	opt Options
	ld  *ldisc
	fg  int  // the foreground process group; 0 none
	hup bool // hung up: reads past the queued input return end of file
	// leader is the console's session leader: the first task to open it
	// (init). With Listen, the console hangs up when the leader is dead.
	leader ipc.Endpoint

	// The devices, looked up on first use.
	rx, tx ipc.DevID
	opened bool
	tag    uint64 // the last tag used; see start

	rxState rxState
	rxTag   uint64 // of the OpRead on the receiver
	rxBuf   []byte

	// polled: a program asked Ready of a read handle, so the receiver
	// listens from now on, readers or not (armRx).
	polled bool

	txBusy bool
	txTag  uint64 // of the OpWrite on the transmitter

	readers []reader // reads waiting for input, oldest first
	// pollers are the armed Ready requests, woken after every event.
	pollers streamproto.Pollers
	out     []segment // what waits to be shown, oldest first
	// serving is the caller whose request Handle serves: a reader it
	// answers gets Handle's return value, not a Reply.
	serving ipc.Endpoint
}

// rxState is what the receiver does for this driver.
type rxState uint8

const (
	rxIdle    rxState = iota // no operation: a wait may be started
	rxWaiting                // an OpWait (possibly a dead predecessor's)
	rxReading                // an OpRead of ours
)

// reader is a read waiting for input.
type reader struct {
	caller ipc.Endpoint
	n      int
}

// segment is output waiting for the transmitter: a write's data (its
// writer is answered when the last byte is shown) or echo (caller 0).
type segment struct {
	caller ipc.Endpoint
	data   []byte
	sent   int
}

// New returns a console driver.
func New(o Options) *Driver {
	if o.Device == "" {
		o.Device = hw.DefaultName
	}
	return &Driver{opt: o, ld: newLdisc(), rxBuf: make([]byte, hw.DefaultFIFOBytes)}
}

// Handle serves one stream request on the console.
func (d *Driver) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if err := d.start(ctx); err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	d.serving = ctx.Caller
	defer func() {
		d.serving = ipc.KernelEndpoint
		d.pollers.Wake(ctx.Sys, d.readiness)
	}()
	switch req.Type {
	case streamproto.Open:
		if d.leader == 0 {
			d.leader = ctx.Caller
		}
		return d.openStream(req)
	case streamproto.Read:
		return d.read(ctx, req)
	case streamproto.Write:
		return d.write(ctx, req)
	case streamproto.Close:
		return d.closeHandle(req)
	case streamproto.Dup:
		return d.dup(req)
	case streamproto.Ioctl:
		return d.ioctl(ctx, req)
	case streamproto.Ready:
		return d.ready(ctx, req)
	}
	return ipc.ErrorReply(req, linux.ENOSYS)
}

// read answers at once when input (or end of file) is there and no older
// read waits; else the read waits (ipc.NoReply) for the keyboard.
func (d *Driver) read(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	h, ok := parseHandle(req.Word(0))
	if !ok || !h.canRead() {
		return ipc.ErrorReply(req, linux.EBADF)
	}
	n, ok := streamproto.CountOf(req)
	if !ok {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	r := reader{caller: ctx.Caller, n: n}
	if r.n == 0 {
		return ipc.Reply(req)
	}
	d.readers = append(d.readers, r)
	if rep, done := d.serveReaders(ctx); done {
		return rep
	}
	d.armRx(ctx)
	return ipc.Message{Type: ipc.NoReply}
}

// write queues the caller's bytes for the screen; the caller is answered
// when the last of them is shown.
func (d *Driver) write(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	h, ok := parseHandle(req.Word(0))
	if !ok || !h.canWrite() {
		return ipc.ErrorReply(req, linux.EBADF)
	}
	n := req.Word(1)
	if n > ipc.MaxBulk {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	if n == 0 {
		return ipc.Reply(req)
	}
	data := make([]byte, n)
	got, err := ctx.CopyIn(0, data)
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	d.out = append(d.out, segment{caller: ctx.Caller, data: data[:got]})
	d.kickTx(ctx)
	return ipc.Message{Type: ipc.NoReply}
}

// ready serves Ready: the console is readable when a line (or, raw, a
// byte) is typed and no older read waits for it, or it hung up (POLLHUP);
// writes are queued, so it is always writable. It listens to the keyboard
// meanwhile, so a poller learns of what is typed; a request with
// streamproto.ReadyArm arms the handle when nothing it waits for is
// ready (the driver posts PollBit when a key makes it so).
func (d *Driver) ready(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	h, ok := parseHandle(req.Word(0))
	if !ok {
		return ipc.ErrorReply(req, linux.EBADF)
	}
	events, arm, valid := streamproto.ReadyArmEvents(req.Word(1))
	if !valid {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	bits, _ := d.readiness(streamproto.Handle(h))
	d.polled = h.canRead() || d.polled
	d.armRx(ctx)
	rep := ipc.Reply(req)
	rep.SetWord(0, bits)
	if arm && bits&(events|linux.POLLERR|linux.POLLHUP) == 0 && ctx.Caller != ipc.KernelEndpoint {
		ok := d.pollers.Arm(ctx.Caller, streamproto.Handle(h), events)
		if !ok { // the driver does not watch exits: make room of dead pollers
			d.pollers.Prune(ctx.Sys)
			ok = d.pollers.Arm(ctx.Caller, streamproto.Handle(h), events)
		}
		if ok {
			rep.SetWord(1, streamproto.ReadyArmed)
		}
	}
	return rep
}

// readiness is what console handle h is ready for (see ready).
func (d *Driver) readiness(sh streamproto.Handle) (uint64, bool) {
	h, ok := parseHandle(uint64(sh))
	if !ok {
		return 0, false
	}
	var bits uint64
	if h.canRead() && len(d.readers) == 0 && (d.ld.readable() || d.hup) {
		bits |= linux.POLLIN
	}
	if d.hup {
		bits |= linux.POLLHUP
	}
	if h.canWrite() {
		bits |= linux.POLLOUT
	}
	return bits, true
}

// Pollers returns how many Ready requests are armed, for tests.
func (d *Driver) Pollers() int { return d.pollers.Len() }

// ioctl serves the console's controls (streamproto's Ioctl commands).
func (d *Driver) ioctl(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if _, ok := parseHandle(req.Word(0)); !ok {
		return ipc.ErrorReply(req, linux.EBADF)
	}
	rep := ipc.Reply(req)
	arg := req.Word(2)
	switch req.Word(1) {
	case streamproto.IoctlGetMode:
		rep.SetWord(0, d.ld.mode)
	case streamproto.IoctlSetMode:
		rep.SetWord(0, d.ld.mode)
		d.ld.setMode(arg & streamproto.ModeCooked)
	case streamproto.IoctlGetPgrp:
		rep.SetWord(0, uint64(d.fg))
	case streamproto.IoctlSetPgrp:
		if arg == 0 || arg > 1<<31-1 {
			return ipc.ErrorReply(req, linux.EINVAL)
		}
		d.fg = int(arg)
	case streamproto.IoctlHangup:
		d.hup = true
	default:
		return ipc.ErrorReply(req, linux.ENOTTY)
	}
	d.serveReaders(ctx) // a new mode or a hangup may answer waiting reads
	d.armRx(ctx)
	return rep
}
