package pm

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// Signals. LECTURE: signals
//
// pm delivers a signal by what the target does with it:
//
//   - caught (Sigaction SigCatch): pm notifies the target's task with the
//     signal's bit (pmproto.SignalBit); the program's library runs the
//     handler when it next takes its notifications. A wait the target is
//     blocked in at pm fails with EINTR, so that the handler runs now; the
//     library then waits again.
//   - ignored: nothing happens.
//   - default: pmproto.DefaultAction. Term and Core end the process: pm
//     makes it a zombie with the signal as its status and kills its task
//     with Sys.Kill. Stop stops it (stop: the program's library waits for
//     SIGCONT at its next call), Ign does nothing.
//   - SIGCONT continues a stopped process whatever its disposition, then
//     is delivered as above.
//
// SIGKILL cannot be caught or ignored. Init (pid 1) gets only the signals
// it catches, SIGKILL included, as on Linux. Only root may signal another
// user's process (EPERM; cred.go); a kill of a group or of everyone (-1)
// signals the processes the sender may, and fails with EPERM only when
// that is none.

// kill serves Kill (kill(2)).
func (s *Server) kill(r *request) ipc.Message {
	pid, sig := word(r, 0), linux.Signal(r.m.Word(1))
	if sig != 0 && !pmproto.ValidSignal(sig) {
		return fail(r, linux.EINVAL)
	}
	targets, e := s.targets(r, pid)
	if e != 0 {
		return fail(r, e)
	}
	if len(targets) == 0 {
		return fail(r, linux.ESRCH)
	}
	targets = permitted(senderCred(r), targets)
	if len(targets) == 0 {
		return fail(r, linux.EPERM)
	}
	if sig != 0 {
		for _, p := range targets {
			s.deliver(p, sig)
		}
	}
	return ok(r, uint64(len(targets)))
}

// permitted returns the targets a sender with credentials c may signal:
// root all, anyone else those with its uid (cred.go).
func permitted(c ipc.Cred, targets []*proc) []*proc {
	out := targets[:0:0]
	for _, p := range targets {
		if maySignal(c, p) {
			out = append(out, p)
		}
	}
	return out
}

// targets returns the processes kill(pid) names.
func (s *Server) targets(r *request, pid int) ([]*proc, ipc.Errno) {
	if pid > 0 {
		if p := s.t.get(pid); p != nil {
			return []*proc{p}, 0
		}
		return nil, 0
	}
	if pid == 0 || pid == -1 {
		self, e := s.self(r)
		if e != 0 {
			return nil, e
		}
		if pid == 0 {
			pid = -self.Pgid
		} else {
			return s.t.list(func(p *proc) bool { return p.Pid != 1 && p != self }), 0
		}
	}
	if pid == -1<<63 {
		return nil, linux.EINVAL
	}
	return s.t.list(func(p *proc) bool { return p.Pgid == -pid }), 0
}

// deliver gives sig to p, as the comment at the top of this file says.
func (s *Server) deliver(p *proc, sig linux.Signal) {
	if p.State == zombie {
		return
	}
	d := p.disposition(sig)
	if sig == linux.SIGCONT {
		s.cont(p)
	}
	switch {
	case d == pmproto.SigCatch:
		s.signal(p, pmproto.SignalBit(sig))
		if w, ok := s.waiters[p.Pid]; ok {
			delete(s.waiters, p.Pid)
			req := ipc.Message{Type: pmproto.Wait}
			s.answer(w.task, ipc.ErrorReply(&req, linux.EINTR))
		}
	case p.Pid == 1:
		// init is sent only what it catches
	case sig == linux.SIGKILL || (d == pmproto.SigDefault && pmproto.Kills(sig)):
		task := p.Task
		s.end(p, pmproto.Signaled(sig))
		s.killTask(task) // an embryo has none yet: spawn kills it when it has
	case d == pmproto.SigDefault && pmproto.DefaultAction(sig) == pmproto.Stop:
		s.stop(p, sig)
	}
}

// stop stops p: ps shows it stopped, a parent waiting with WUNTRACED
// hears of it, and its task is told (SIGSTOP's bit) to wait for SIGCONT.
func (s *Server) stop(p *proc, sig linux.Signal) {
	if p.Stopped {
		return
	}
	p.Stopped, p.StopSig = true, sig
	s.touch(p)
	s.signal(p, pmproto.SignalBit(linux.SIGSTOP))
	if par := s.t.get(p.Ppid); par != nil {
		s.wake(par)
	}
}

// cont continues a stopped p: its task is told with SIGCONT's bit.
func (s *Server) cont(p *proc) {
	if !p.Stopped {
		return
	}
	p.Stopped, p.StopSig = false, 0
	s.touch(p)
	s.signal(p, pmproto.SignalBit(linux.SIGCONT))
}

// sigaction serves Sigaction.
func (s *Server) sigaction(r *request) ipc.Message {
	p, sig, d := r.self, linux.Signal(r.m.Word(0)), pmproto.Disposition(r.m.Word(1))
	if !pmproto.ValidSignal(sig) || r.m.Word(1) > uint64(pmproto.SigCatch) { // checked before the byte conversion
		return fail(r, linux.EINVAL)
	}
	if (sig == linux.SIGKILL || sig == linux.SIGSTOP) && d != pmproto.SigDefault {
		return fail(r, linux.EINVAL)
	}
	old, bit := p.disposition(sig), pmproto.SignalBit(sig)
	p.Caught &^= bit
	p.Ignored &^= bit
	switch d {
	case pmproto.SigCatch:
		p.Caught |= bit
	case pmproto.SigIgnore:
		p.Ignored |= bit
	}
	s.touch(p)
	return ok(r, uint64(old))
}
