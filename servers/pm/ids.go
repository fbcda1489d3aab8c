package pm

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// getpid serves Getpid.
func (s *Server) getpid(r *request) ipc.Message { return idsReply(r, r.self) }

// getpgid serves Getpgid.
func (s *Server) getpgid(r *request) ipc.Message {
	pid := word(r, 0)
	if pid == 0 {
		p, e := s.self(r)
		if e != 0 {
			return fail(r, e)
		}
		return ok(r, uint64(p.Pgid))
	}
	if p := s.t.get(pid); p != nil {
		return ok(r, uint64(p.Pgid))
	}
	return fail(r, linux.ESRCH)
}

// setpgid serves Setpgid (setpgid(2), without sessions): the caller moves
// itself or one of its children to its own group or an existing one.
func (s *Server) setpgid(r *request) ipc.Message {
	self, pid, pgid := r.self, word(r, 0), word(r, 1)
	if pid < 0 || pgid < 0 {
		return fail(r, linux.EINVAL)
	}
	p := self
	if pid != 0 && pid != self.Pid {
		p = s.t.get(pid)
		if p == nil || p.Ppid != self.Pid {
			return fail(r, linux.ESRCH)
		}
	}
	if p.State == zombie {
		return fail(r, linux.ESRCH)
	}
	if pgid == 0 {
		pgid = p.Pid
	}
	if pgid != p.Pid && !s.t.groupExists(pgid) {
		return fail(r, linux.EPERM)
	}
	p.Pgid = pgid
	s.touch(p)
	if par := s.t.get(p.Ppid); par != nil {
		s.wake(par) // a wait for a group may have lost its last child
	}
	return ok(r)
}

// fds serves Fds.
func (s *Server) fds(r *request) ipc.Message {
	fds := r.self.Fds
	buf := make([]byte, 0, 4*len(fds))
	for _, fd := range fds {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(int32(fd)))
	}
	if len(buf) > 0 {
		if _, err := r.ctx.CopyOut(0, buf); err != nil {
			return fail(r, ipc.ErrnoOf(err))
		}
	}
	return ok(r, uint64(len(fds)))
}

// ps serves Ps: the table from a pid on, as many records as fit in one
// batch. Before listing, pm asks the kernel which tasks still live, so
// that a process killed behind pm's back shows as the zombie it is.
func (s *Server) ps(r *request) ipc.Message {
	from := word(r, 0)
	s.probe(r.ctx.Sys, s.t.list(func(p *proc) bool { return p.Pid >= from }))
	ps := s.t.list(func(p *proc) bool { return p.Pid >= from })
	next := 0
	if len(ps) > pmproto.PsBatch {
		next = ps[pmproto.PsBatch].Pid
		ps = ps[:pmproto.PsBatch]
	}
	buf := make([]byte, len(ps)*pmproto.RecordSize)
	for i, p := range ps {
		s.info(r.ctx.Sys, p).Put(buf[i*pmproto.RecordSize:])
	}
	if len(buf) > 0 {
		if n, err := r.ctx.CopyOut(0, buf); err != nil || n != len(buf) {
			return fail(r, linux.EFAULT)
		}
	}
	return ok(r, uint64(len(ps)), uint64(next))
}

// info is p as ps shows it; the CPU time of a live process is the
// kernel's account of its task.
func (s *Server) info(sys ipc.Sys, p *proc) pmproto.ProcInfo {
	st := pmproto.Running
	if _, waiting := s.waiters[p.Pid]; waiting {
		st = pmproto.Waiting
	}
	if p.State == zombie {
		st = pmproto.Zombie
	} else if p.Stopped {
		st = pmproto.StoppedState
	}
	info := pmproto.ProcInfo{Pid: p.Pid, Ppid: p.Ppid, Pgid: p.Pgid, State: st, Status: p.Status,
		StartNs: p.StartNs, Task: p.Task, Name: p.Name, CPUNs: p.CPUNs}
	if p.State == alive {
		if tt, err := sys.TaskTime(p.Task); err == nil {
			info.CPUNs = tt.UserNs + tt.SysNs
		}
	}
	return info
}
