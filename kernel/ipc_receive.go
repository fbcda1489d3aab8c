package kernel

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/sched"
)

// receive is the kernel half of Receive for the running task t: pending
// notifications first, then the oldest sender it accepts, else it blocks.
// When it blocks and handoff is a runnable task, the CPU goes straight to
// handoff (ReplyWait's fast path); otherwise handoff is made ready.
func (k *Kernel) receive(t *Task, from ipc.Endpoint, buf *ipc.Message, handoff *Task) {
	c := k.cpuOf(t)
	t.rbuf, t.recvFrom, t.err, t.op = buf, from, 0, opReceive
	if t.pending != 0 && (from == ipc.Any || from == ipc.KernelEndpoint) {
		k.takeNotification(t)
		k.readyHandoff(handoff, c.now)
		return
	}
	var peer *Task
	if from != ipc.Any && from != ipc.KernelEndpoint {
		p, e := k.lookup(from)
		if e != 0 {
			t.err = e
			k.readyHandoff(handoff, c.now)
			return
		}
		peer = p
	}
	for s := t.senders.head; s != nil; s = s.link.next {
		if from == ipc.Any || s.ep == from {
			k.takeSender(t, s, c.now)
			k.readyHandoff(handoff, c.now)
			return
		}
	}
	if peer != nil {
		if k.wouldDeadlock(t, peer) {
			t.err = ipc.ErrDeadlock
			k.readyHandoff(handoff, c.now)
			return
		}
		t.blockedOn = peer
		peer.waiters.push(t)
	}
	if handoff != nil && handoff.pin && handoff.cpu != c.id {
		k.ready(handoff, sched.Woken, c.now)
		handoff = nil
	}
	k.block(t, stateReceiving, handoff)
}

// readyHandoff makes a replied-to caller runnable when the replier keeps
// its CPU.
func (k *Kernel) readyHandoff(h *Task, now int64) {
	if h != nil {
		k.ready(h, sched.Woken, now)
	}
}

// takeSender receives s's queued message into t.
func (k *Kernel) takeSender(t, s *Task, now int64) {
	t.senders.remove(s)
	s.blockedOn = nil
	svc := s.callSvc
	k.deliver(s, t, svc)
	if s.op == opCall {
		k.awaitReply(s, t)
		s.state = stateAwaitReply
		if svc != nil && svc.armed != nil {
			k.strike(t, svc, now)
		}
		return
	}
	s.err = 0
	s.op = opNone
	if s.callSvc != nil {
		s.callSvc.end(s, 0, now) // a Send to a service ends at delivery
	}
	k.ready(s, sched.Woken, now)
}

// takeNotification turns t's pending bits into a Notification message.
func (k *Kernel) takeNotification(t *Task) {
	*t.rbuf = ipc.Message{Source: ipc.KernelEndpoint, Type: ipc.Notification}
	t.rbuf.SetWord(0, t.pending)
	t.pending = 0
	t.err = 0
}

// notify ORs bits into t's pending notifications and wakes t if it is
// receiving from anyone (or from the kernel). LECTURE: notify
func (k *Kernel) notify(t *Task, bits uint64, now int64) {
	if bits == 0 || !t.alive() {
		return
	}
	t.pending |= bits
	k.stats.Notifies++
	if k.trace != nil {
		k.emit(Event{Kind: EvNotify, T: now, Peer: t.ep, Word: bits})
	}
	if t.state == stateReceiving && (t.recvFrom == ipc.Any || t.recvFrom == ipc.KernelEndpoint) {
		unlink(t)
		t.blockedOn = nil
		k.takeNotification(t)
		t.op = opNone
		k.ready(t, sched.Woken, now)
	}
}
