package procplace

import (
	"github.com/mkos/mkos/ipc"
)

// Sys.Bus across the process boundary: the request's fields go over, the
// proxy task runs the operation (its subscriptions and streams are the
// server process's: they die with the proxy), the results come back.

// Bus sends r to the proxy and reads back its results.
func (r *remoteSys) Bus(req *ipc.BusRequest) error {
	if req == nil {
		return ipc.ErrInvalid
	}
	e := r.begin(opBus)
	e.words(uint64(req.Op), uint64(req.Depth), uint64(req.Stream), uint64(req.Credits), uint64(req.Errno),
		b2u(req.Wait), uint64(req.TimeoutNs), req.Bits)
	e.str(req.Topic)
	e.msg(&req.Msg)
	d, err := r.call()
	req.Stream, req.Errno, req.Dropped, req.End = ipc.StreamID(d.u64()), ipc.Errno(d.u64()), d.i64(), d.flag()
	req.Topic = d.str()
	d.msg(&req.Msg)
	return err
}

// bus runs a remote Sys.Bus in the proxy task.
func (k *kernelSide) bus() {
	d, e := &k.d, &k.e
	req := ipc.BusRequest{Op: ipc.BusOp(d.u64()), Depth: int(d.i64()), Stream: ipc.StreamID(d.u64()),
		Credits: int(d.i64()), Errno: ipc.Errno(d.u64()), Wait: d.flag(), TimeoutNs: d.i64(), Bits: d.u64()}
	req.Topic = d.str()
	d.msg(&req.Msg)
	if d.short || len(req.Topic) > ipc.MaxTopic {
		e.errno(ipc.ErrInvalid)
		return
	}
	err := k.sys.Bus(&req)
	e.errno(err)
	e.words(uint64(req.Stream), uint64(req.Errno), uint64(req.Dropped), b2u(req.End))
	e.str(req.Topic)
	e.msg(&req.Msg)
}
