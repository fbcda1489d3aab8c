package pm

import "github.com/mkos/mkos/ipc"

// Exited ends the process whose task died, when the kernel says so
// (ipc.ExitWatcher): a program killed by someone else, or ended without
// reporting, becomes a zombie killed by SIGKILL at once, and its parent
// learns — no need to wait until pm next asks the kernel (probe). After
// lost notices (task is ipc.Any) it asks the kernel about every process.
func (s *Server) Exited(ctx *ipc.Ctx, task ipc.Endpoint) {
	s.load(ctx.Sys)
	if task == ipc.Any {
		s.probe(ctx.Sys, s.t.list(func(*proc) bool { return true }))
	} else if p := s.t.byTask(task); p != nil {
		s.lost(p.Pid, task)
	}
	s.flush(ctx.Sys)
	s.carryOut(&request{ctx: ctx})
}
