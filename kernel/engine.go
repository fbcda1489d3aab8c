package kernel

import (
	"errors"
	"fmt"
	"iter"
	"runtime"

	"github.com/mkos/mkos/ipc"
)

// The sim engine. LECTURE: engine
//
// Every task body runs on its own coroutine (iter.Pull), and exactly one
// coroutine runs at a time, so the kernel state needs no locks and a run is
// a pure function of its configuration and seed.
//
// Kernel code runs on the goroutine of the task that trapped, the way a real
// kernel runs on the trapping thread's kernel stack. After the kernel has
// done its work, next() names the task that must run (or nil). Switching to
// it is a direct handoff between coroutines: the trapping coroutine resumes
// the target itself when the target is suspended, or yields back down the
// chain of resumers when the target is one of them. A Call to a waiting
// server is therefore one resume, and its reply one yield — two coroutine
// switches per round trip and no scheduler goroutine in between. Run's loop
// is only the bottom of the chain: it starts the first task and takes over
// when a chain unwinds completely.
//
// Rejected: routing every trap through one engine goroutine (four switches
// per round trip, measured ~2× slower), and goroutines with channels (a
// channel handoff costs 4× a coroutine switch and lets the Go scheduler
// choose who runs).

// coroutine is a task body's coroutine and where it is in the resume chain.
type coroutine struct {
	next    func() (struct{}, bool)
	stop    func()
	yield   func(struct{}) bool
	onStack bool // running, or suspended in a resume of another coroutine
	started bool // the body has begun: ending it means unwinding it (finish)
	done    bool
	// parked: the body called runtime.Goexit, and the coroutine waits in
	// runBody's deferred call for bury (engine_goexit.go).
	parked bool
}

// unwind is the panic that unwinds the body of a task that was killed or of
// a system that halted. runBody recovers it.
type unwind struct{}

// unwindBody unwinds t's body: with the unwind panic the first time, and
// with runtime.Goexit, which no deferred call can recover, when the body
// traps again after that — it recovered the panic and went on (or a
// deferred call of its unwinding traps: that ends it the same way).
func (k *Kernel) unwindBody(t *Task) {
	if t.unwound {
		runtime.Goexit()
	}
	t.unwound = true
	panic(unwind{})
}

// exitCode is the panic Exit raises to leave the body at once.
type exitCode struct{ code int }

// die ends the running task t from inside its own trap with p (an
// exitCode or a selfKill). The task is marked first, so a body that
// recovers the panic still ends: its next trap unwinds it (with Goexit,
// which nothing recovers) and runBody takes p as how it ended.
func (k *Kernel) die(t *Task, p any) {
	t.dying, t.unwound = p, true
	panic(p)
}

func (k *Kernel) newCoroutine(t *Task, body func(ipc.Sys)) *coroutine {
	co := &coroutine{}
	co.next, co.stop = iter.Pull(func(yield func(struct{}) bool) {
		co.yield, co.started = yield, true
		k.runBody(t, body)
	})
	return co
}

// runBody runs t's body to its end and turns how it ended into a death:
// return is exit 0, Exit is its code, an ipc.Fault is its own cause, a
// panic is a fault.
func (k *Kernel) runBody(t *Task, body func(ipc.Sys)) {
	cause, code := "exit", 0
	if k.pulse != nil {
		k.pulse.run(t, "", k.cpuOf(t).now) // the body's code begins
	}
	ended := false // false in the deferred call: runtime.Goexit
	defer func() {
		if !ended {
			k.goexited(t)
		}
	}()
	func() {
		defer func() {
			r := recover()
			if _, unwinding := r.(unwind); (r == nil || unwinding) && t.dying != nil {
				r = t.dying // it recovered its own end and went on
			}
			switch r := r.(type) {
			case nil:
			case exitCode:
				code = r.code
			case selfKill:
				cause, code = r.cause, r.code
				if k.trace != nil {
					k.emit(Event{Kind: EvFault, T: k.cpuOf(t).now, Task: t.ep, Name: t.name, Detail: cause})
				}
			case ipc.Fault:
				cause, code = r.Cause, r.Code
				if k.trace != nil {
					k.emit(Event{Kind: EvFault, T: k.cpuOf(t).now, Task: t.ep, Name: t.name, Detail: cause})
				}
			case unwind:
				cause = ""
			default:
				if k.handlerPanic(t, r) {
					cause = ""
					return
				}
				cause, code = fmt.Sprintf("panic: %v", r), -1
			}
		}()
		body(&t.sys)
	}()
	ended = true
	t.co.done = true
	t.co.onStack = false
	if t.killed || k.halted != nil || k.ended || cause == "" {
		return
	}
	if code == -1 && k.trace != nil {
		k.emit(Event{Kind: EvFault, T: k.cpuOf(t).now, Task: t.ep, Name: t.name, Detail: cause})
	}
	k.kill(t, cause, code, k.cpuOf(t).now)
	k.want = k.next()
}

// resched runs whatever must run after t's trap, and returns when t is to
// continue. It panics with unwind if t was killed meanwhile.
//
// The switch goes directly to target when target is suspended (one resume),
// and by yielding when target is down the chain of resumers.
func (k *Kernel) resched(t *Task) {
	if t.killed {
		// t died in this trap (an injected crash, a kill by itself): its
		// body must unwind now, not suspend where nobody will resume it.
		k.want = k.next()
		t.co.onStack = false
		k.unwindBody(t)
	}
	target := k.next()
	for target != t {
		if target != nil && !target.co.onStack {
			target.co.onStack = true
			target.co.next()
			if t.killed || k.halted != nil || k.ended {
				k.unwindBody(t)
			}
			target = k.want
			continue
		}
		k.want = target
		t.co.onStack = false
		if !t.co.yield(struct{}{}) || t.killed || k.ended {
			k.unwindBody(t)
		}
		break
	}
	if k.pulse != nil {
		k.pulse.leave(t) // t's body runs again: a watchdog must see it
	}
	if k.halted != nil && t.err == 0 {
		t.err = ipc.ErrHalted
	}
}

// ErrEnded is returned by Run on a kernel that already ran.
var ErrEnded = errors.New("kernel: Run called twice")

// Run drives the kernel until no task can ever run again, the time limit is
// reached, or the system halts; then it stops every task left. It returns
// the *Panic when the system halted.
func (k *Kernel) Run() error {
	if k.ended {
		return ErrEnded
	}
	k.want = k.next()
	for k.want != nil && k.halted == nil {
		t := k.want
		k.want = nil
		t.co.onStack = true
		t.co.next()
		k.reap()
	}
	k.shutdown()
	if k.halted != nil {
		return k.halted
	}
	return nil
}

// reap ends the coroutines of killed tasks. Only the bottom of the chain
// calls it, when no coroutine is on the stack.
func (k *Kernel) reap() {
	for len(k.stop) > 0 {
		t := k.stop[0]
		k.stop = k.stop[1:]
		k.finish(t)
	}
}

// finish ends the coroutine of t, which is not on the stack. A body that
// never began is stopped without running. A started one is resumed, and
// its trap unwinds it (t is dead or the run has ended): its deferred calls
// run as Go's would, and one that traps, or a body that recovers the
// unwind and traps again, ends by runtime.Goexit and is buried.
func (k *Kernel) finish(t *Task) {
	co := t.co
	switch {
	case co.done:
	case co.parked:
		bury(co)
	case !co.started:
		co.stop()
		co.done = true
	default:
		co.onStack = true
		co.next()
		co.onStack = false
		if co.parked {
			bury(co)
		}
		co.done = true
	}
}

// Shutdown stops every task without running anything more: for a kernel
// that was booted but will not be run, whose tasks' coroutines would
// otherwise outlive it. After Run it does nothing; Run after it fails.
func (k *Kernel) Shutdown() {
	if !k.ended {
		k.shutdown()
	}
}

// shutdown ends every coroutine still alive, in slot order.
func (k *Kernel) shutdown() {
	k.ended = true
	k.reap()
	for _, t := range k.tasks {
		if t != nil {
			k.finish(t)
		}
	}
	k.reap()
}
