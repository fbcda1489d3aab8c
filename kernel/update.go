package kernel

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// The bus's half of a live update (LECTURE: live-update): holding a
// service's requests while the reincarnation server moves its state from
// the old instance to a new one, then switching the routing. The
// protocol, step by step, is in docs/liveupdate.md; the kernel only
// offers the three steps of ipc.UpdateStep and never decides when.
//
// A held service routes nothing: a new request waits in the service's
// queue (as when it has no instance, bounded by Config.ServiceWaitNs),
// and a new instance that registers meanwhile gets none of them. The
// commit moves everything the old instance owed to the new one, in this
// order: the callers awaiting its reply (requests it parked, to be
// answered by the new instance from the state it was handed), then the
// requests queued at it that it never received, then the held ones —
// every call that named the service, through the bus or a direct link;
// a call to the old instance's own endpoint stays, and fails with it.

// hold is a service's live-update state.
type hold struct {
	held      bool
	holder    *Task   // the task that holds it
	newcomers []*Task // instances registered while held: the new one
}

// update is the kernel half of Sys.Update for task t.
func (k *Kernel) update(t *Task, name string, step ipc.UpdateStep, old, new ipc.Endpoint, now int64) ipc.Errno {
	if e := k.allow(t, ipc.KUpdate, name); e != 0 {
		return e
	}
	s, e := k.bus.lookupName(name, false)
	if e != 0 {
		return e
	}
	if s.handler != nil {
		return ipc.ErrPerm // placed in the kernel: its code is the kernel's
	}
	switch {
	case step == ipc.UpdateHold && s.hold.held:
		return linux.EBUSY
	case step == ipc.UpdateHold:
		k.traceUpdate(t, s, step, old, new, now)
		s.hold = hold{held: true, holder: t}
	case step != ipc.UpdateCommit && step != ipc.UpdateAbort:
		return ipc.ErrInvalid
	case !s.hold.held:
		return ipc.ErrInvalid
	case step == ipc.UpdateCommit:
		o, n := s.instance(old), s.instance(new)
		if o == nil || n == nil || o == n {
			return ipc.ErrDead
		}
		k.traceUpdate(t, s, step, old, new, now)
		k.handover(s, o, n, now)
	default:
		k.traceUpdate(t, s, step, old, new, now)
		if n := s.instance(new); n != nil {
			s.leave(n)
		}
		s.hold = hold{}
		k.flush(s, now)
	}
	return 0
}

// traceUpdate emits the step, before its effects: the requests it
// routes come after it in the trace.
func (k *Kernel) traceUpdate(t *Task, s *service, step ipc.UpdateStep, old, new ipc.Endpoint, now int64) {
	if k.trace == nil {
		return
	}
	d := step.String()
	if step != ipc.UpdateHold {
		d += " " + old.String() + " → " + new.String()
	}
	k.emit(Event{Kind: EvUpdate, T: now, Task: t.ep, Peer: ipc.ServiceEndpoint(s.id), Svc: s.name, Detail: d})
}

// instance returns the instance of s whose endpoint is ep, nil if none.
func (s *service) instance(ep ipc.Endpoint) *Task {
	for _, t := range s.instances {
		if t.ep == ep {
			return t
		}
	}
	return nil
}

// leave takes t out of s's instances: it gets no more of s's requests.
func (s *service) leave(t *Task) {
	for i, x := range s.instances {
		if x == t {
			s.instances = append(s.instances[:i], s.instances[i+1:]...)
			break
		}
	}
	s.dropInst(t)
	for i, x := range t.services {
		if x == s {
			t.services = append(t.services[:i], t.services[i+1:]...)
			break
		}
	}
	if s.rr >= len(s.instances) {
		s.rr = 0
	}
}

// handover makes n serve s in o's place and ends the hold.
func (k *Kernel) handover(s *service, o, n *Task, now int64) {
	s.leave(o)
	svc := ipc.ServiceEndpoint(s.id)
	var owed []*Task // through the bus or a direct link: the call named the service
	for w := o.waiters.head; w != nil; w = w.link.next {
		if w.state == stateAwaitReply && (w.callSvc == s || w.dst == svc) {
			owed = append(owed, w)
		}
	}
	for _, w := range owed {
		o.waiters.remove(w)
		o.serving--
		w.blockedOn = n
		n.waiters.push(w)
		n.serving++
		k.inherit(n, w.ent.Prio)
	}
	var queued []*Task
	for w := o.senders.head; w != nil; w = w.link.next {
		if w.dst == svc {
			queued = append(queued, w)
		}
	}
	for _, w := range queued {
		o.senders.remove(w)
		w.blockedOn = nil
	}
	k.disinherit(o)
	s.hold = hold{}
	for _, w := range queued {
		k.route(w, s, now)
	}
	k.flush(s, now)
}

// dropHolds ends the holds dead t made: an updater that dies mid-update
// leaves its services as they were. The instances that registered during
// the hold (the new instance, not switched to) are killed; the held
// requests go to the instances the services had.
func (k *Kernel) dropHolds(t *Task, now int64) {
	for _, s := range k.bus.byID[1:] {
		if !s.hold.held || s.hold.holder != t {
			continue
		}
		newcomers := s.hold.newcomers
		s.hold = hold{}
		for _, n := range newcomers {
			s.leave(n)
		}
		k.flush(s, now)
		for _, n := range newcomers {
			k.kill(n, "live update abandoned: its updater died", 137, now)
		}
	}
}

// flush routes the requests waiting at s, if it has an instance.
func (k *Kernel) flush(s *service, now int64) {
	if s.hold.held || len(s.instances)+len(s.remotes) == 0 {
		return
	}
	// The waiters are taken first: one that only a local instance may
	// serve (a gateway's own call) waits again, behind the others.
	var ws []*Task
	for w := s.waiting.pop(); w != nil; w = s.waiting.pop() {
		ws = append(ws, w)
	}
	for _, w := range ws {
		if !k.servable(s, w) {
			s.waiting.push(w)
			continue
		}
		k.route(w, s, now)
	}
}

// Update of a task: one step of a live update (KUpdate).
func (p *proc) Update(service string, step ipc.UpdateStep, old, new ipc.Endpoint) error {
	c := p.enter("Update")
	p.t.err = p.k.update(p.t, service, step, old, new, c.now)
	return p.leave()
}

// Update of a server placed in the kernel: as Kill, through the task
// it runs for, whose privileges are the kernel's inside the handler.
func (f *kframe) Update(service string, step ipc.UpdateStep, old, new ipc.Endpoint) error {
	return f.t.sys.Update(service, step, old, new)
}
