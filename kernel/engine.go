package kernel

import (
	"errors"
	"fmt"
	"iter"

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
	done    bool
}

// unwind is the panic that unwinds the body of a task that was killed or of
// a system that halted. runBody recovers it.
type unwind struct{}

// exitCode is the panic Exit raises to leave the body at once.
type exitCode struct{ code int }

func (k *Kernel) newCoroutine(t *Task, body func(ipc.Sys)) *coroutine {
	co := &coroutine{}
	co.next, co.stop = iter.Pull(func(yield func(struct{}) bool) {
		co.yield = yield
		k.runBody(t, body)
	})
	return co
}

// runBody runs t's body to its end and turns how it ended into a death:
// return is exit 0, Exit is its code, an ipc.Fault is its own cause, a
// panic is a fault.
func (k *Kernel) runBody(t *Task, body func(ipc.Sys)) {
	cause, code := "exit", 0
	func() {
		defer func() {
			switch r := recover().(type) {
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
		panic(unwind{})
	}
	target := k.next()
	for target != t {
		if target != nil && !target.co.onStack {
			target.co.onStack = true
			target.co.next()
			if t.killed || k.halted != nil {
				panic(unwind{})
			}
			target = k.want
			continue
		}
		k.want = target
		t.co.onStack = false
		if !t.co.yield(struct{}{}) || t.killed {
			panic(unwind{})
		}
		break
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

// reap stops the coroutines of killed tasks. Only the bottom of the chain
// calls it, when no coroutine is on the stack.
func (k *Kernel) reap() {
	for len(k.stop) > 0 {
		t := k.stop[0]
		k.stop = k.stop[1:]
		if !t.co.done {
			t.co.stop()
			t.co.done = true
		}
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

// shutdown stops every coroutine still alive, in slot order.
func (k *Kernel) shutdown() {
	k.ended = true
	k.reap()
	for _, t := range k.tasks {
		if t != nil && !t.co.done {
			t.co.stop()
			t.co.done = true
		}
	}
}
