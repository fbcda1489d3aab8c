package pm

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Effects. A handler changes the table and queues what must happen to
// tasks — a deferred reply, a signal's notification bit, a kill — and
// carryOut does it once the table is consistent and written to the Store.
//
// Why not at once: placed in the kernel, pm's handler runs in the caller's
// trap, and each system call it makes may run other tasks, which may call
// pm in turn. Between two system calls of a handler the table must
// therefore be whole. The queue is the server's, not the request's: if
// the caller is killed while its handler carries out effects, the next
// request carries out the rest.

type effectKind uint8

const (
	fxReply effectKind = iota + 1
	fxNotify
	fxKill
)

type effect struct {
	kind effectKind
	task ipc.Endpoint
	pid  int         // fxNotify: the process, in case its task is gone
	bits uint64      // fxNotify
	m    ipc.Message // fxReply
}

// answer queues a deferred reply to task.
func (s *Server) answer(task ipc.Endpoint, m ipc.Message) {
	s.fx = append(s.fx, effect{kind: fxReply, task: task, m: m})
}

// signal queues notification bits for p.
func (s *Server) signal(p *proc, bits uint64) {
	s.fx = append(s.fx, effect{kind: fxNotify, task: p.Task, pid: p.Pid, bits: bits})
}

// killTask queues the end of task.
func (s *Server) killTask(task ipc.Endpoint) {
	if task != 0 {
		s.fx = append(s.fx, effect{kind: fxKill, task: task})
	}
}

// carryOut does the queued effects in order. A kill of the caller itself
// comes last: in the kernel the handler runs in the caller's trap, and
// killing the caller ends the handler there and then.
func (s *Server) carryOut(r *request) {
	sys := r.ctx.Sys
	self := false
	for len(s.fx) > 0 {
		f := s.fx[0]
		s.fx = s.fx[1:]
		switch f.kind {
		case fxReply:
			_ = sys.Reply(f.task, &f.m) // the waiter may be gone: nothing to do
		case fxNotify:
			if err := sys.Notify(f.task, f.bits); errors.Is(err, ipc.ErrDead) {
				s.lost(f.pid, f.task)
				s.flush(sys)
			}
		case fxKill:
			if f.task == r.ctx.Caller {
				self = true
				continue
			}
			_ = sys.Kill(f.task) // already dead: nothing to do
		}
	}
	s.fx = nil
	if self {
		_ = sys.Kill(r.ctx.Caller)
	}
}

// probe asks the kernel whether the tasks of ps are still alive (a Notify
// with no bits fails with ESRCH for a dead task and does nothing else),
// and ends the processes whose tasks died without telling pm. It makes
// system calls: call it before deciding anything.
func (s *Server) probe(sys ipc.Sys, ps []*proc) {
	for _, p := range ps {
		if p.State != alive {
			continue
		}
		if err := sys.Notify(p.Task, 0); errors.Is(err, ipc.ErrDead) {
			s.lost(p.Pid, p.Task)
		}
	}
	s.flush(sys)
}

// lost ends process pid, whose task died unseen by pm (killed by someone
// else, or ended without reporting): as far as anyone can tell, it was
// killed.
func (s *Server) lost(pid int, task ipc.Endpoint) {
	if p := s.t.get(pid); p != nil && p.Task == task && p.State == alive {
		s.end(p, killedStatus)
	}
}

// killedStatus is the wait status of a process whose task died unseen.
var killedStatus = linux.WaitStatus(linux.SIGKILL)
