package ipc

import "errors"

// ExitWatcher is implemented by servers that keep state per client task
// (open files, pipe ends, address spaces) and must free it when the client
// dies, however it dies. Serve asks the kernel for the notices
// (Sys.WatchExits) and calls Exited for each; a server placed in the
// kernel gets them on its kernel thread. LECTURE: exit-notices
type ExitWatcher interface {
	// Exited tells the server that task, which had called it, died. task
	// is Any when notices were lost (Death.Lost): the server then checks
	// each client it holds state for with Alive.
	Exited(ctx *Ctx, task Endpoint)
}

// DeliverDeaths reads every death notice waiting for the server and calls
// w.Exited for each, with ctx.Caller set to KernelEndpoint.
func DeliverDeaths(ctx *Ctx, w ExitWatcher) {
	ctx.Caller = KernelEndpoint
	for d, ok := ctx.Sys.NextDeath(); ok; d, ok = ctx.Sys.NextDeath() {
		if d.Lost {
			w.Exited(ctx, Any)
			continue
		}
		w.Exited(ctx, d.Task)
	}
}

// Alive reports whether the task at ep lives, by asking the kernel: a
// Notify with no bits, which anyone may make, fails with ErrDead for a
// dead task or a stale endpoint.
func Alive(sys Sys, ep Endpoint) bool {
	return !errors.Is(sys.Notify(ep, 0), ErrDead)
}
