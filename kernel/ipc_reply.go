package kernel

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/sched"
)

// reply delivers m to the caller `to`, which must be awaiting a reply from
// t. It returns the caller, now runnable but not yet placed on a CPU, so
// ReplyWait can hand the CPU to it directly. LECTURE: ipc-reply
func (k *Kernel) reply(t *Task, to ipc.Endpoint, m *ipc.Message, now int64) (*Task, ipc.Errno) {
	r, e := k.lookup(to)
	if e != 0 {
		return nil, e
	}
	if r.state != stateAwaitReply || r.blockedOn != t {
		return nil, ipc.ErrPerm
	}
	*r.rbuf = *m
	r.rbuf.Source = t.ep
	r.rbuf.Service = 0
	if r.callSvc != nil {
		r.rbuf.Service = r.callSvc.id
		r.callSvc.end(r, ipc.Errno(m.Errno), now)
	}
	unlink(r)
	t.serving--
	r.blockedOn = nil
	if t.ent.Prio != t.prio {
		k.disinherit(t)
	}
	r.err = 0
	r.op = opNone
	r.state = stateReady
	k.stats.Messages++
	if k.trace != nil {
		k.emit(Event{Kind: EvReply, CPU: t.cpu, T: now, Task: t.ep, Peer: r.ep, Type: uint16(m.Type), Errno: m.Errno})
	}
	if t.spoil != nil && k.spoilReply(t, r, now) {
		return nil, 0 // a slow reply: the caller wakes later
	}
	r.callDeadline = 0
	return r, 0
}

// replyNow is the Reply system call: deliver and make the caller ready.
func (k *Kernel) replyNow(t *Task, to ipc.Endpoint, m *ipc.Message) {
	c := k.cpuOf(t)
	c.charge(k.cfg.Profile.IPCNs)
	r, e := k.reply(t, to, m, c.now)
	t.err = e
	if r != nil {
		k.ready(r, sched.Woken, c.now)
	}
}

// replyWait is the ReplyWait system call: reply, then receive from anyone,
// handing the CPU to the replied-to caller if t blocks. A reply that cannot
// be delivered is dropped.
func (k *Kernel) replyWait(t *Task, to ipc.Endpoint, m, next *ipc.Message) {
	c := k.cpuOf(t)
	c.charge(k.cfg.Profile.IPCNs)
	var r *Task
	if to != ipc.KernelEndpoint {
		r, _ = k.reply(t, to, m, c.now)
	}
	k.receive(t, ipc.Any, next, r)
}
