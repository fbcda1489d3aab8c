package streamproto

import (
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Waking pollers. LECTURE: poll-wake
//
// A Ready request whose Word(1) carries ReadyArm (with the events the
// caller waits for) arms the handle when nothing it asks for is ready:
// the server remembers (caller, handle, events) in its Pollers and, when
// the handle becomes ready for them (or for POLLERR/POLLHUP, or is
// closed), posts PollBit to the caller and forgets the registration —
// Linux's poll_wait, one shot. The reply's Word(1) is ReadyArmed when the
// server armed; a server that cannot (an older one, one over its bound,
// one always ready) answers 0, and the poller falls back to asking again
// after a back-off.

// PollBit is the notification bit a stream service posts to a task whose
// armed Ready became ready. The user library reserves it for PollFds.
const PollBit uint64 = 1 << 33

// ReadyArm in a Ready request's Word(1) asks the server to arm the handle
// for the poll events (linux.POLLIN, POLLOUT) in the word's low bits.
const ReadyArm uint64 = 1 << 32

// ReadyArmed in a Ready reply's Word(1) says the server armed the handle:
// it will post PollBit when the handle becomes ready.
const ReadyArmed uint64 = 1

// The bounds of a server's Pollers: past them Arm refuses, and the
// poller backs off instead.
const (
	MaxPollersPerHandle = 8
	MaxPollers          = 1024
)

// ReadyArmEvents checks a Ready request's Word(1): whether it asks to arm,
// and for which events; ok is false for a word with unknown bits.
func ReadyArmEvents(w uint64) (events uint64, arm, ok bool) {
	if w == 0 {
		return 0, false, true
	}
	if w&^(ReadyArm|ReadyBits) != 0 || w&ReadyArm == 0 {
		return 0, false, false
	}
	return w &^ ReadyArm, true, true
}

// ReadyAndArm returns what h is ready for, as Ready does, and, when it is
// ready for none of events (nor POLLERR, POLLHUP), asks the server to
// post PollBit when it becomes so; armed reports whether the server did.
func (c Client) ReadyAndArm(h Handle, events uint64) (bits uint64, armed bool, err error) {
	req := ipc.Message{Type: Ready}
	req.SetWord(0, uint64(h))
	req.SetWord(1, ReadyArm|events&ReadyBits)
	rep, err := c.call(&req, nil)
	if err != nil {
		return 0, false, err
	}
	if rep.Word(0)&^ReadyBits != 0 || rep.Word(1) > ReadyArmed {
		return 0, false, ipc.ErrBadReply
	}
	return rep.Word(0), rep.Word(1) == ReadyArmed, nil
}

// Pollers are a server's armed Ready requests, in the order they were
// armed (so waking is deterministic). The zero value is empty.
type Pollers struct {
	regs []poller
}

// poller is one armed Ready.
type poller struct {
	task   ipc.Endpoint
	h      Handle
	events uint64
}

// Arm registers task's wait on h for events (re-arming replaces task's
// earlier registration on h). It reports false, registering nothing,
// over MaxPollersPerHandle or MaxPollers.
func (ps *Pollers) Arm(task ipc.Endpoint, h Handle, events uint64) bool {
	ps.regs = slices.DeleteFunc(ps.regs, func(p poller) bool { return p.task == task && p.h == h })
	onH := 0
	for _, p := range ps.regs {
		if p.h == h {
			onH++
		}
	}
	if onH >= MaxPollersPerHandle || len(ps.regs) >= MaxPollers {
		return false
	}
	ps.regs = append(ps.regs, poller{task: task, h: h, events: events})
	return true
}

// Wake posts PollBit to every poller whose handle ready reports ready for
// its events (or POLLERR, POLLHUP), or reports gone (ok false), and
// forgets them. A notification that fails (the task died) is dropped.
func (ps *Pollers) Wake(sys ipc.Sys, ready func(h Handle) (bits uint64, ok bool)) {
	if len(ps.regs) == 0 {
		return
	}
	keep := ps.regs[:0]
	var woken []ipc.Endpoint
	for _, p := range ps.regs {
		bits, ok := ready(p.h)
		if ok && bits&(p.events|linux.POLLERR|linux.POLLHUP) == 0 {
			keep = append(keep, p)
			continue
		}
		if !slices.Contains(woken, p.task) {
			woken = append(woken, p.task)
		}
	}
	clear(ps.regs[len(keep):])
	ps.regs = keep
	for _, t := range woken {
		_ = sys.Notify(t, PollBit)
	}
}

// Exited forgets every registration of task.
func (ps *Pollers) Exited(task ipc.Endpoint) {
	ps.regs = slices.DeleteFunc(ps.regs, func(p poller) bool { return p.task == task })
}

// Len returns how many registrations there are.
func (ps *Pollers) Len() int { return len(ps.regs) }

// Prune forgets the registrations of tasks no longer alive (the server
// lost death notices).
func (ps *Pollers) Prune(sys ipc.Sys) {
	ps.regs = slices.DeleteFunc(ps.regs, func(p poller) bool { return !ipc.Alive(sys, p.task) })
}
