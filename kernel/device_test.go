package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// memDev is a device that serves reads of a fixed pattern after a fixed
// latency, and counts what it did.
type memDev struct {
	latencyNs int64
	starts    int
	finishes  []int64
}

func (d *memDev) Name() string { return "mem0" }

func (d *memDev) Start(now int64, req *ipc.DevRequest) (int64, ipc.Errno) {
	if req.Op != 1 {
		return 0, ipc.ErrInvalid
	}
	d.starts++
	return now + d.latencyNs, 0
}

func (d *memDev) Finish(now int64, req *ipc.DevRequest) ipc.DevCompletion {
	for i := range req.Buf {
		req.Buf[i] = byte(req.Arg[0]) + byte(i)
	}
	d.finishes = append(d.finishes, now)
	return ipc.DevCompletion{N: len(req.Buf)}
}

// readDriver answers a read by starting the device and replying when it
// interrupts: the "don't reply yet" shape of every driver.
type readDriver struct {
	dev     ipc.DevID
	opened  bool
	buf     [16]byte
	waiting ipc.Endpoint
}

func (r *readDriver) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if !r.opened {
		id, err := ctx.Sys.Device("mem0")
		if err != nil {
			return ipc.ErrorReply(req, ipc.ErrnoOf(err))
		}
		r.dev, r.opened = id, true
	}
	err := ctx.Sys.DevStart(r.dev, &ipc.DevRequest{Op: 1, Arg: [4]int64{int64(req.Word(0))}, Buf: r.buf[:], Tag: 7})
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	r.waiting = ctx.Caller
	return ipc.Message{Type: ipc.NoReply}
}

func (r *readDriver) Notified(ctx *ipc.Ctx, bits uint64) {
	c, ok := ctx.Sys.DevDone(r.dev)
	if !ok {
		return
	}
	rep := ipc.Message{Type: 1}
	if _, err := ctx.Sys.CopyOut(r.waiting, 0, r.buf[:c.N]); err != nil {
		rep.Errno = uint16(ipc.ErrnoOf(err))
	}
	rep.SetWord(0, c.Tag)
	ctx.Sys.Reply(r.waiting, &rep)
}

func TestDeviceReadThroughDriver(t *testing.T) {
	for _, inKernel := range []bool{false, true} {
		name := map[bool]string{false: "driver in user space", true: "driver in the kernel"}[inKernel]
		t.Run(name, func(t *testing.T) {
			k, err := kernel.New(kernel.Config{})
			require.NoError(t, err)
			dev := &memDev{latencyNs: 50_000}
			drv := &readDriver{}
			if inKernel {
				_, err = k.Place("rd", drv)
			} else {
				_, err = k.Declare("rd")
				k.Spawn(ipc.TaskSpec{Name: "rd", Body: func(sys ipc.Sys) { ipc.Serve(sys, "rd", drv) }})
			}
			require.NoError(t, err)
			_, err = k.Attach(dev, "rd", 1<<4)
			require.NoError(t, err)
			var got []byte
			var tag uint64
			var callErr error
			var t0, t1 int64
			k.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
				id, _ := sys.Lookup("rd")
				req := ipc.Message{Type: 1}
				req.SetWord(0, 100)
				var rep ipc.Message
				out := make([]byte, 16)
				t0 = sys.Now()
				callErr = sys.CallWith(ipc.ServiceEndpoint(id), &req, &rep, &ipc.Extra{Recv: out})
				t1 = sys.Now()
				got, tag = out, rep.Word(0)
			}})
			require.NoError(t, k.Run())
			require.NoError(t, callErr)
			assert.Equal(t, uint64(7), tag, "completion tag")
			assert.Equal(t, byte(100), got[0])
			assert.Equal(t, byte(115), got[15])
			assert.Equal(t, 1, dev.starts)
			require.Len(t, dev.finishes, 1)
			assert.GreaterOrEqual(t, t1-t0, int64(50_000), "the reply waited for the device")
			for _, s := range k.Services() {
				if s.Name == "rd" {
					assert.Equal(t, int64(1), s.Stats.Requests)
					assert.Equal(t, int64(0), s.Stats.InFlight)
				}
			}
		})
	}
}

func TestDeviceOnlyForItsDriver(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	_, err = k.Attach(&memDev{}, "rd", 1)
	require.NoError(t, err)
	_, err = k.Attach(&memDev{}, "other", 1)
	assert.Error(t, err, "two devices with one name")
	var lookupErr, startErr error
	k.Spawn(ipc.TaskSpec{Name: "intruder", Body: func(sys ipc.Sys) {
		_, lookupErr = sys.Device("mem0")
		startErr = sys.DevStart(0, &ipc.DevRequest{Op: 1})
	}})
	require.NoError(t, k.Run())
	assert.ErrorIs(t, lookupErr, ipc.ErrPerm)
	assert.ErrorIs(t, startErr, ipc.ErrPerm)
}

func TestDevicesOfAService(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	_, err = k.Attach(&memDev{}, "rd", 1)
	require.NoError(t, err)
	assert.Equal(t, []string{"mem0"}, k.DevicesOf("rd"))
	assert.Empty(t, k.DevicesOf("fs"), "a service with no device")
}
