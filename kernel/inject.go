package kernel

import (
	"github.com/mkos/mkos/ipc"
)

// Fault injection: a fault armed on a service hits the next request one of
// its instances receives, whatever the server's code. LECTURE: faults
//
//	crash    the instance dies as it receives the request; the caller gets
//	         ECONNRESET. Placed in the kernel, it is a kernel panic.
//	hang     the instance is never scheduled again; only a supervisor that
//	         pings it (and kills it) ends the hang. Placed in the kernel,
//	         the caller never returns.
//	garbage  the reply's contents are scrambled (deterministically).
//	slow     the reply is delayed; past the caller's timeout, the caller
//	         gets ETIMEDOUT at the timeout.

// armed is a fault waiting for its request.
type armed struct {
	kind  ipc.Injection
	param int64
}

// inject arms a fault on the named service.
func (k *Kernel) inject(name string, kind ipc.Injection, param int64) ipc.Errno {
	s, e := k.bus.lookupName(name, false)
	if e != 0 {
		return e
	}
	if kind < ipc.InjectCrash || kind > ipc.InjectSlow || kind == ipc.InjectSlow && param <= 0 {
		return ipc.ErrInvalid
	}
	s.armed = &armed{kind: kind, param: param}
	k.stats.Injected++
	return 0
}

// Armed reports whether a fault armed on the named service still waits
// for its request: none of the service's instances has received one
// since (a hung instance receives nothing, so a fault armed while the
// only instance hangs waits for its replacement). For harnesses that
// strike faults and must know when one has struck.
func (k *Kernel) Armed(service string) bool {
	s, e := k.bus.lookupName(service, false)
	return e == 0 && s.armed != nil
}

// Disarm withdraws the fault armed on the named service, if one still
// waits, and reports whether one did.
func (k *Kernel) Disarm(service string) bool {
	s, e := k.bus.lookupName(service, false)
	if e != 0 || s.armed == nil {
		return false
	}
	s.armed = nil
	return true
}

// strike applies svc's armed fault to instance r, which has just received
// a request. It runs at the end of the kernel action that delivered it.
func (k *Kernel) strike(r *Task, svc *service, now int64) {
	a := svc.armed
	svc.armed = nil
	if k.trace != nil {
		k.emit(Event{Kind: EvInject, T: now, Task: r.ep, Svc: svc.name, Detail: a.kind.String()})
	}
	switch a.kind {
	case ipc.InjectCrash:
		k.kill(r, "injected crash", 134, now)
	case ipc.InjectHang:
		k.hang(r)
	case ipc.InjectGarbage, ipc.InjectSlow:
		r.spoil = a
	}
}

// hang takes r off the CPUs for good.
func (k *Kernel) hang(r *Task) {
	c := k.cpuOf(r)
	switch {
	case c.cur == r:
		k.block(r, stateHung, nil)
	case r.state == stateReady && r.ent.Queued:
		c.rq.Remove(&r.ent)
		r.state = stateHung
	default:
		r.state = stateHung
	}
}

// spoilReply applies a garbage or slow fault of replier t to the reply just
// copied into caller r's buffer. It reports whether the caller's wake-up
// was taken over (slow).
func (k *Kernel) spoilReply(t, r *Task, now int64) bool {
	a := t.spoil
	t.spoil = nil
	if a.kind == ipc.InjectGarbage {
		k.scramble(r.rbuf)
		return false
	}
	wake := now + a.param
	if r.callDeadline != 0 && r.callDeadline < wake {
		wake, r.err = r.callDeadline, ipc.ErrTimeout
	}
	r.state = stateSleeping
	r.token++
	k.after(wake, evWake, r)
	return true
}

// scramble corrupts a message the same way for the same seed.
func (k *Kernel) scramble(m *ipc.Message) {
	for i := range m.Payload {
		m.Payload[i] ^= byte(k.rng.Uint64())
	}
	m.Len ^= uint16(k.rng.Uint64())
	if k.rng.Uint64()%2 == 0 {
		m.Errno = uint16(1 + k.rng.Uint64()%133)
	}
}

// strikeKernel applies an armed fault to a request served in the kernel;
// it reports whether the handler must not run (crash, hang).
func (k *Kernel) strikeKernel(t *Task, svc *service, req *ipc.Message) (skip bool) {
	a := svc.armed
	svc.armed = nil
	c := k.cpuOf(t)
	if k.trace != nil {
		k.emit(Event{Kind: EvInject, T: c.now, Task: t.ep, Svc: svc.name, Detail: a.kind.String()})
	}
	switch a.kind {
	case ipc.InjectCrash:
		k.halt(&Panic{Server: svc.name, Request: *req, Caller: t.ep, TimeNs: c.now, Value: "injected crash"})
		t.err = ipc.ErrHalted
		return true
	case ipc.InjectHang:
		k.block(t, stateHung, nil)
		return true
	case ipc.InjectSlow:
		c.charge(a.param)
	case ipc.InjectGarbage:
		t.spoil = a
	}
	return false
}
