package kernel

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/sched"
)

// send is the kernel half of Send (call=false) and Call (call=true) for the
// running task t. LECTURE: ipc-rendezvous
//
//  1. Resolve dst: a service endpoint is routed by the bus to a live
//     instance (or to a handler placed in the kernel, or the request waits
//     for an instance); a task endpoint must name a live task, else ErrDead.
//  2. If the receiver is blocked in Receive and accepts t, copy the message
//     into its buffer and stamp the source. A Send completes and t goes on;
//     a Call blocks t awaiting the reply and hands t's CPU straight to the
//     receiver, with no trip through the run queue.
//  3. Otherwise, refuse if blocking would close a cycle (ErrDeadlock), else
//     block t in the receiver's sender queue until it receives.
func (k *Kernel) send(t *Task, dst ipc.Endpoint, m, reply *ipc.Message, x *ipc.Extra, call bool) {
	c := k.cpuOf(t)
	c.charge(k.cfg.Profile.IPCNs)
	t.op = opSend
	if call {
		t.op = opCall
	}
	if k.trace != nil {
		kind := EvSend
		if call {
			kind = EvCall
		}
		k.emit(Event{Kind: kind, CPU: c.id, T: c.now, Task: t.ep, Peer: dst, Type: uint16(m.Type)})
	}
	t.err = 0
	if dst.IsService() {
		t.called |= serviceBit(dst.Service())
		if svc := k.bus.inKernel(dst.Service()); svc != nil {
			if t.err = k.mayCall(t, svc); t.err == 0 {
				k.callKernel(t, svc, m, reply, x)
			}
			return
		}
	}
	t.msg, t.rbuf, t.extra, t.dst = m, reply, x, dst
	if !dst.IsService() {
		r, e := k.lookup(dst)
		if e == 0 {
			e = k.mayReach(t, r)
		}
		if e != 0 {
			t.err = e
			return
		}
		for _, s := range r.services {
			t.called |= serviceBit(s.id)
		}
		k.sendTo(t, r, nil, c.now)
		return
	}
	svc, e := k.bus.get(dst.Service())
	if e == 0 {
		e = k.mayCall(t, svc)
	}
	if e != 0 {
		t.err = e
		return
	}
	if len(svc.links) > 0 && svc.linked(t) {
		if r := svc.pick(); r != nil {
			k.sendTo(t, r, nil, c.now)
			return
		}
	}
	c.charge(k.cfg.Profile.RouteNs)
	svc.begin(t, c.now)
	k.route(t, svc, c.now)
}

// route sends t's pending request to an instance of svc, or parks t until
// one registers. t may be running or blocked (a request being re-routed
// after its instance died).
func (k *Kernel) route(t *Task, svc *service, now int64) {
	if r := k.pickFor(svc, t); r != nil {
		k.sendTo(t, r, svc, now)
		return
	}
	running := k.cpuOf(t).cur == t
	svc.waiting.push(t)
	if running {
		k.block(t, stateWaitService, nil)
	} else {
		t.state = stateWaitService
		t.token++
	}
	k.after(now+k.cfg.ServiceWaitNs, evServiceWait, t)
	k.armTimeout(t, now)
}

// accepts reports whether r, blocked in Receive, takes a message from t.
func accepts(r, t *Task) bool {
	return r.state == stateReceiving && (r.recvFrom == ipc.Any || r.recvFrom == t.ep)
}

// sendTo delivers t's pending message to r or queues t on r.
func (k *Kernel) sendTo(t, r *Task, svc *service, now int64) {
	running := k.cpuOf(t).cur == t
	if svc != nil {
		svc.routed(t, r, now)
	}
	if accepts(r, t) {
		k.deliver(t, r, svc)
		unlink(r)
		r.blockedOn = nil
		if t.op != opCall {
			t.err = 0
			t.op = opNone
			if t.callSvc != nil {
				t.callSvc.end(t, 0, now) // a Send to a service ends at delivery
			}
			k.ready(r, sched.Woken, now)
			return
		}
		k.awaitReply(t, r)
		if t.ent.Prio < r.ent.Prio {
			k.inherit(r, t.ent.Prio)
		}
		if running && !(r.pin && r.cpu != t.cpu) {
			k.block(t, stateAwaitReply, r) // the direct handoff
		} else {
			k.parkOrBlock(t, stateAwaitReply, running)
			k.ready(r, sched.Woken, now)
		}
		k.armTimeout(t, now)
		if svc != nil && svc.armed != nil {
			k.strike(r, svc, now)
		}
		return
	}
	if k.wouldDeadlock(t, r) {
		k.emit(Event{Kind: EvDeadlock, T: now, Task: t.ep, Peer: r.ep})
		k.fail(t, ipc.ErrDeadlock, now)
		return
	}
	t.blockedOn = r
	r.senders.push(t)
	k.parkOrBlock(t, stateSending, running)
	k.inherit(r, t.ent.Prio)
	k.armTimeout(t, now)
}

// parkOrBlock puts t into state s: off its CPU if it is running.
func (k *Kernel) parkOrBlock(t *Task, s state, running bool) {
	if running {
		k.block(t, s, nil)
		return
	}
	t.state = s
}

// awaitReply records that caller t's request was received by r.
func (k *Kernel) awaitReply(t, r *Task) {
	t.blockedOn = r
	r.waiters.push(t)
	r.serving++
}

// armTimeout queues the timeout of t's Call, if it has one. Called after t
// blocked, so the event carries the new token.
func (k *Kernel) armTimeout(t *Task, now int64) {
	if t.op == opCall && t.extra != nil && t.extra.TimeoutNs > 0 && t.state != stateRunning {
		if t.callDeadline == 0 {
			t.callDeadline = now + t.extra.TimeoutNs
		}
		k.after(t.callDeadline, evCallTimeout, t)
	}
}

// deliver copies s's message into r's receive buffer and stamps it.
func (k *Kernel) deliver(s, r *Task, svc *service) {
	*r.rbuf = *s.msg
	r.rbuf.Source = s.ep
	r.rbuf.Service = 0
	if svc != nil {
		r.rbuf.Service = svc.id
	}
	r.err = 0
	k.stats.Messages++
	if k.trace != nil {
		k.emit(Event{Kind: EvReceive, CPU: r.cpu, T: k.cpuOf(s).now, Task: s.ep, Peer: r.ep, Type: uint16(s.msg.Type), Svc: svcName(svc)})
	}
}

// wouldDeadlock reports whether t blocking on r closes a cycle: following
// who-waits-for-whom from r leads back to t.
func (k *Kernel) wouldDeadlock(t, r *Task) bool {
	for n := 0; r != nil && n <= len(k.tasks); n++ {
		if r == t {
			return true
		}
		r = r.blockedOn
	}
	return false
}

// fail ends t's blocked system call with errno e and makes it runnable.
func (k *Kernel) fail(t *Task, e ipc.Errno, now int64) {
	if k.trace != nil {
		k.emit(Event{Kind: EvFail, CPU: t.cpu, T: now, Task: t.ep, Errno: uint16(e), Detail: ipc.Explain(e)})
	}
	unlink(t)
	if t.blockedOn != nil && t.state == stateAwaitReply {
		t.blockedOn.serving--
	}
	server := t.blockedOn
	t.blockedOn = nil
	k.disinherit(server)
	t.kwait = nil
	t.err = e
	t.op = opNone
	t.callDeadline = 0
	if t.callSvc != nil {
		t.callSvc.end(t, e, now)
	}
	if k.cpuOf(t).cur == t {
		return
	}
	k.ready(t, sched.Woken, now)
}
