package pm

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// Process death. LECTURE: process-exit
//
//  1. The process becomes a zombie holding its wait status; a wait it was
//     blocked in dies with it.
//  2. Its children go to init (pid 1), or to no parent when init is gone.
//  3. Its parent learns: a wait the parent is blocked in is answered (the
//     zombie is reaped there and then), and the parent gets SIGCHLD, which
//     it ignores unless it catches it. A zombie with no parent, or whose
//     parent set SIGCHLD to SIG_IGN, is reaped at once: nobody can wait
//     for it.

// exit serves Exit: the caller reports its own end.
func (s *Server) exit(r *request) ipc.Message {
	p := r.self
	if p == nil || p.State == zombie {
		return ok(r) // a task pm never knew, or a second report
	}
	ws := pmproto.Exited(word(r, 0))
	if sig := linux.Signal(r.m.Word(1)); sig != 0 {
		if !pmproto.ValidSignal(sig) {
			return fail(r, linux.EINVAL)
		}
		ws = pmproto.Signaled(sig)
	}
	if tt, err := r.ctx.Sys.TaskTime(p.Task); err == nil {
		p.CPUNs = tt.UserNs + tt.SysNs // its last chance: the task ends next
	}
	s.end(p, ws)
	return ok(r)
}

// end makes p a zombie with status ws (steps 1–3). It does not touch p's
// task: the caller ends it, or it is already ending.
func (s *Server) end(p *proc, ws linux.WaitStatus) {
	p.State, p.Status = zombie, ws
	s.touch(p)
	delete(s.waiters, p.Pid)
	heir := s.initPid()
	for _, c := range s.t.children(p.Pid) {
		c.Ppid = heir
		s.touch(c)
		if c.State == zombie {
			s.childEnded(c)
		}
	}
	s.childEnded(p)
}

// childEnded tells zombie c's parent (step 3).
func (s *Server) childEnded(c *proc) {
	par := s.t.get(c.Ppid)
	if par == nil || par.State == zombie {
		s.reap(c)
		return
	}
	if par.disposition(linux.SIGCHLD) == pmproto.SigIgnore {
		s.reap(c)
		s.wake(par)
		return
	}
	s.wake(par)
	s.deliver(par, linux.SIGCHLD)
}

// reap removes zombie c from the table.
func (s *Server) reap(c *proc) {
	s.t.remove(c)
	s.touch(c)
}

// waiter is a process blocked in Wait: the reply is deferred.
type waiter struct {
	task ipc.Endpoint
	pid  int // the Wait's pid argument
	opts int // its options (WUNTRACED)
}

// matches reports whether child c of par answers a wait for pid.
func matches(par, c *proc, pid int) bool {
	switch {
	case pid > 0:
		return c.Pid == pid
	case pid == -1:
		return true
	case pid == 0:
		return c.Pgid == par.Pgid
	}
	return c.Pgid == -pid
}

// candidates returns par's children that answer a wait for pid.
func (s *Server) candidates(par *proc, pid int) []*proc {
	return s.t.list(func(c *proc) bool { return c.Ppid == par.Pid && matches(par, c, pid) })
}

// zombieFor returns the first zombie among cs, or nil.
func zombieFor(cs []*proc) *proc {
	for _, c := range cs {
		if c.State == zombie {
			return c
		}
	}
	return nil
}

// stoppedFor returns the first of cs stopped and not yet reported, when
// opts asks for stops (WUNTRACED); nil otherwise.
func stoppedFor(cs []*proc, opts int) *proc {
	if opts&pmproto.WUNTRACED == 0 {
		return nil
	}
	for _, c := range cs {
		if c.State != zombie && c.Stopped && c.StopSig != 0 {
			return c
		}
	}
	return nil
}

// reportStop answers a wait with stopped child c (it stays in the table).
func (s *Server) reportStop(m *ipc.Message, c *proc) ipc.Message {
	rep := ipc.Reply(m)
	rep.SetWord(0, uint64(c.Pid))
	rep.SetWord(1, uint64(pmproto.Stopped(c.StopSig)))
	c.StopSig = 0
	s.touch(c)
	return rep
}

// collect reaps zombie z for its parent and returns the wait's reply.
func (s *Server) collect(m *ipc.Message, z *proc) ipc.Message {
	s.reap(z)
	rep := ipc.Reply(m)
	rep.SetWord(0, uint64(z.Pid))
	rep.SetWord(1, uint64(z.Status))
	rep.SetWord(2, uint64(z.CPUNs))
	return rep
}

// wake answers par's pending wait if a child now answers it, or fails it
// with ECHILD if no child can any more.
func (s *Server) wake(par *proc) {
	w, ok := s.waiters[par.Pid]
	if !ok {
		return
	}
	req := ipc.Message{Type: pmproto.Wait}
	cs := s.candidates(par, w.pid)
	switch z, st := zombieFor(cs), stoppedFor(cs, w.opts); {
	case z != nil:
		s.answer(w.task, s.collect(&req, z))
	case st != nil:
		s.answer(w.task, s.reportStop(&req, st))
	case len(cs) == 0:
		s.answer(w.task, ipc.ErrorReply(&req, linux.ECHILD))
	default:
		return
	}
	delete(s.waiters, par.Pid)
}

// wait serves Wait (waitpid(2)).
func (s *Server) wait(r *request) ipc.Message {
	p, pid, opts := r.self, word(r, 0), word(r, 1)
	if opts&^(pmproto.WNOHANG|pmproto.WUNTRACED) != 0 || pid == -1<<63 {
		return fail(r, linux.EINVAL)
	}
	cs := s.candidates(p, pid)
	if z := zombieFor(cs); z != nil {
		return s.collect(r.m, z)
	}
	if st := stoppedFor(cs, opts); st != nil {
		return s.reportStop(r.m, st)
	}
	if len(cs) == 0 {
		return fail(r, linux.ECHILD)
	}
	// About to say "none has ended": first ask the kernel whether a child
	// died without telling pm.
	s.probe(r.ctx.Sys, cs)
	cs = s.candidates(p, pid)
	switch z := zombieFor(cs); {
	case p.State == zombie:
		return fail(r, linux.ESRCH) // the caller was killed meanwhile
	case z != nil:
		return s.collect(r.m, z)
	case len(cs) == 0:
		return fail(r, linux.ECHILD)
	case opts&pmproto.WNOHANG != 0:
		return ok(r, 0, 0)
	}
	s.waiters[p.Pid] = waiter{task: r.ctx.Caller, pid: pid, opts: opts}
	return ipc.Message{Type: ipc.NoReply}
}
