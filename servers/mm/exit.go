package mm

import "github.com/mkos/mkos/ipc"

// Tasks that die. LECTURE: mm-exit
//
// The kernel unmaps a dead task's pages and frees the frames no one else
// maps; what mm keeps about the task — its regions, its pages in swap, its
// share of shared objects and file mappings, its lab note — is mm's to
// free. mm watches exits (ipc.ExitWatcher) and forgets a dead task at
// once: its swap slots come back, a shared object it was the last to map
// dies with it (so a later mapping of the same id starts empty instead of
// showing the dead task's data), and the pages it held stop counting
// against the resident limit. Without the notices mm finds dead tasks
// only when it asks the kernel about every space (collect), which it does
// when the number of spaces has doubled. When notices were lost, it
// collects at once.

// Exited forgets dead task, or every dead task when task is ipc.Any. Placed
// in the kernel, it runs on mm's kernel thread, and may find mm busy with
// a request waiting for the swap disk: that request forgets the task when
// it is done (serve reaps).
func (s *Server) Exited(ctx *ipc.Ctx, task ipc.Endpoint) {
	if task != ipc.Any && s.spaces[task] == nil && s.notes[task] == nil {
		return // nothing of it here
	}
	if task == ipc.Any {
		s.gcMark = 0 // the request in progress, or the next, collects
	} else {
		s.dead[task] = true
	}
	if s.busy || !s.started {
		return
	}
	s.busy = true
	s.sys = ctx.Sys
	if task == ipc.Any {
		s.collect(ctx.Sys)
	}
	s.reap(ctx.Sys)
	if s.filesChanged {
		s.closeUnused(ctx.Sys)
	}
	s.save(ctx.Sys)
	s.drain(ctx.Sys)
	s.busy = false
}
