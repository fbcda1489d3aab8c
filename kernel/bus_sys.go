package kernel

import (
	"github.com/mkos/mkos/ipc"
)

// Sys.Bus: publish/subscribe (pubsub.go) and request/stream (stream.go),
// one operation per trap.

// Bus runs one bus operation. A BusNext, StreamRecv or StreamEmit with
// Wait that finds nothing to do blocks the task (stateSleeping, busWait)
// until a publication, a frame, credit or a cancel concerns it, or until
// its TimeoutNs, and then tries again.
func (p *proc) Bus(r *ipc.BusRequest) error {
	c := p.enter("Bus")
	k, t := p.k, p.t
	if r == nil {
		return p.refuse(ipc.ErrInvalid)
	}
	var deadline int64
	if r.TimeoutNs > 0 {
		deadline = c.now + r.TimeoutNs
	}
	for {
		e, wait := k.busOp(c, t, nil, r)
		if !wait {
			t.err = e
			return p.leave()
		}
		if deadline > 0 && c.now >= deadline {
			return p.refuse(ipc.ErrTimeout)
		}
		t.busWait, t.err = true, 0
		k.block(t, stateSleeping, nil)
		if deadline > 0 {
			k.after(deadline, evWake, t)
		}
		k.resched(t)
		t.busWait = false
		if k.halted != nil {
			return t.result() // ErrHalted
		}
		c = k.cpuOf(t)
	}
}

// Bus of a server placed in the kernel: it publishes on its service's
// topics and serves streams; it cannot subscribe or block (it runs in
// its callers' traps).
func (f *kframe) Bus(r *ipc.BusRequest) error {
	if r == nil || r.Wait {
		return ipc.ErrInvalid
	}
	c := f.k.cpuOf(f.t)
	e, _ := f.k.busOp(c, f.t, f, r)
	return errOf(e)
}

// busOp runs operation r for task t, or for f's service when f is set.
func (k *Kernel) busOp(c *cpu, t *Task, f *kframe, r *ipc.BusRequest) (ipc.Errno, bool) {
	switch r.Op {
	case ipc.BusSubscribe, ipc.BusUnsubscribe, ipc.BusNext:
		if f != nil {
			return ipc.ErrNoSys, false
		}
	}
	switch r.Op {
	case ipc.BusSubscribe:
		return k.subscribe(t, r.Topic, r.Depth, r.Bits), false
	case ipc.BusUnsubscribe:
		s := t.subOf(r.Topic)
		if s == nil {
			return ipc.ErrInvalid, false
		}
		k.unsubscribe(s)
		return 0, false
	case ipc.BusPublish:
		return k.publishAs(c, t, f, r), false
	case ipc.BusNext:
		ok, e := t.next(r)
		if e != 0 || ok {
			return e, false
		}
		return ipc.ErrNoInstance, r.Wait // EAGAIN
	}
	return k.streamOp(c, t, f, r)
}

// publishAs checks that t (or f's service) may publish on r.Topic, then
// publishes.
func (k *Kernel) publishAs(c *cpu, t *Task, f *kframe, r *ipc.BusRequest) ipc.Errno {
	if e := checkTopic(r.Topic); e != 0 {
		return e
	}
	if ipc.IsKernelType(r.Msg.Type) {
		return ipc.ErrInvalid
	}
	var svc *service
	from := t.ep
	if f != nil {
		svc, from = f.svc, ipc.KernelEndpoint
	}
	if !mayPublish(t, svc, r.Topic) {
		return k.deny(t, "publish on "+r.Topic)
	}
	k.publish(c, from, r.Topic, &r.Msg)
	return 0
}
