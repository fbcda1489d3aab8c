package kernel

import "github.com/mkos/mkos/sched"

// Priority inheritance over IPC, QNX style. LECTURE: priority-inheritance
//
// A server runs at least at the priority of the most important client that
// waits for it — blocked sending to it or awaiting its reply — and falls
// back to its own priority when those clients are served. The boost follows
// chains: a boosted server that is itself waiting on another server boosts
// that one too. Without it, a low-priority server serving a high-priority
// client can be preempted by any medium-priority task, and the client waits
// for that task: priority inversion (the Mars Pathfinder bug). The knob is
// Config.NoPriorityInheritance.
//
// A task's own priority is t.prio; t.ent.Prio is the effective one that
// the policies see.

// maxInheritChain bounds how far a boost follows waiting servers.
const maxInheritChain = 64

// setPrio changes t's effective priority, requeueing it if it is queued so
// the policy's structures stay consistent.
func (k *Kernel) setPrio(t *Task, prio int) {
	if t.ent.Prio == prio {
		return
	}
	c := k.cpuOf(t)
	queued := t.state == stateReady && t.ent.Queued
	if queued {
		c.rq.Remove(&t.ent)
	}
	t.ent.Prio = prio
	if queued {
		c.rq.Add(&t.ent, sched.Woken)
		if c.cur != nil && c.rq.Preempts(&c.cur.ent, &t.ent) {
			c.resched = true
		}
	}
}

// inherit raises server r, and the servers it waits for, to at least
// priority prio (0 is the highest).
func (k *Kernel) inherit(r *Task, prio int) {
	if k.cfg.NoPriorityInheritance {
		return
	}
	for n := 0; r != nil && n < maxInheritChain && prio < r.ent.Prio; n++ {
		k.setPrio(r, prio)
		if r.state != stateSending && r.state != stateAwaitReply {
			return
		}
		r = r.blockedOn
	}
}

// disinherit recomputes server r's priority from its own and its waiting
// clients', after a client left (served, timed out or died).
func (k *Kernel) disinherit(r *Task) {
	if r == nil || k.cfg.NoPriorityInheritance || r.ent.Prio == r.prio {
		return
	}
	p := r.prio
	for w := r.waiters.head; w != nil; w = w.link.next {
		if w.state == stateAwaitReply {
			p = min(p, w.ent.Prio)
		}
	}
	for s := r.senders.head; s != nil; s = s.link.next {
		p = min(p, s.ent.Prio)
	}
	k.setPrio(r, p)
}
