package kernel

// Bodies that end by runtime.Goexit. LECTURE: goexit
//
// A body may call runtime.Goexit (t.FailNow in a test does), and a body
// that recovers the unwind panic and traps again is ended by one
// (unwindBody). Go lets no deferred call stop a Goexit, and a coroutine
// that ends by it passes it on: iter.Pull makes whoever resumes the
// coroutine next call runtime.Goexit too, down the resume chain to the
// goroutine that called Run, which then never returns.
//
// So the coroutine never returns to a resumer. runBody's deferred call
// sees the Goexit (the body neither returned nor panicked), records what
// it means — the task's exit, or a kernel panic if it began in a handler
// placed in the kernel — and parks: it hands the CPU back as a trap
// would and waits, in the middle of the Goexit, to be buried. bury stops
// the coroutine from a goroutine of its own, which the Goexit ends, and
// the engine waits for that goroutine: the one goroutine the kernel
// starts. It runs no body code (every deferred call of the body has run
// before runBody's) and touches no kernel state, so a run stays a pure
// function of its configuration and seed.

// causeGoexit is the cause of death of a body that called runtime.Goexit.
const causeGoexit = "exit: runtime.Goexit"

// goexited is runBody's deferred call for a body that ended by
// runtime.Goexit. It does not return until bury stops the coroutine.
func (k *Kernel) goexited(t *Task) {
	switch {
	case t.killed || k.halted != nil || k.ended:
		// Already dead, or the run is over: nothing to record.
	case k.handlerPanic(t, "runtime.Goexit"):
		// The Goexit began in a handler placed in the kernel.
	default:
		cause, code := causeGoexit, -1
		switch d := t.dying.(type) { // it had recovered its own Exit or SIGSEGV
		case exitCode:
			cause, code = "exit", d.code
		case selfKill:
			cause, code = d.cause, d.code
		}
		k.kill(t, cause, code, k.cpuOf(t).now)
		k.want = k.next()
	}
	t.co.parked = true
	t.co.onStack = false
	k.stop = append(k.stop, t)
	for t.co.yield(struct{}{}) {
		// Nothing resumes a parked coroutine but bury's stop; should
		// anything else, hand the CPU straight back.
	}
}

// bury ends a parked coroutine: its Goexit finishes by ending the
// goroutine that stops it, so that is a goroutine of its own, waited for.
func bury(co *coroutine) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		co.stop()
	}()
	<-done
	co.done, co.parked = true, false
}
