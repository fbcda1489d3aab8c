package pm

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Users. LECTURE: users
//
// pm is the policy of who a process acts for; the kernel keeps the
// credentials (ipc.Cred) with each task, where no program can write them,
// and servers read them from there (Sys.Cred). pm:
//
//  1. records a process's uid and gid: a process it adopts gets its
//     task's, read from the kernel; a child gets its parent's, and pm
//     spawns its task with them (TaskSpec.Cred);
//  2. changes them on Setcred — root may become anyone, anyone else only
//     itself — first in the kernel (Sys.SetCred, the KSetCred privilege
//     that only pm holds), then in its record;
//  3. lets a signal through only from root or from a sender with the
//     target's uid (EPERM), the sender's uid read from the kernel;
//  4. asks the Exec hook, when it has one, whether a caller other than
//     root may execute the program's file (boot's asks the file server,
//     as the caller). Root runs any program pm has code for, even from a
//     file with no x bit (Linux would refuse it that one).

// Exec is the hook through which pm asks whether cred may execute the file
// at path. An error of EACCES refuses the spawn; any other error (no such
// file: the program is built in; no file server) leaves the decision to
// the registry.
type Exec interface {
	MayExec(sys ipc.Sys, cred ipc.Cred, path string) error
}

// credOf returns p's credentials.
func (p *proc) credOf() ipc.Cred { return ipc.Cred{UID: p.UID, GID: p.GID} }

// senderCred returns the credentials of r's caller, from the kernel: the
// kernel itself (a driver's interrupt path) acts as root, and a caller
// that died meanwhile as nobody.
func senderCred(r *request) ipc.Cred {
	if r.ctx.Caller == ipc.KernelEndpoint {
		return ipc.Root
	}
	c, err := r.ctx.Sys.Cred(r.ctx.Caller)
	if err != nil {
		return ipc.Cred{UID: 65534, GID: 65534}
	}
	return c
}

// maySignal reports whether a sender with credentials c may signal p.
func maySignal(c ipc.Cred, p *proc) bool { return c.IsRoot() || c.UID == p.UID }

// mayExec asks the Exec hook whether p may execute path (step 4). Root
// may run every program pm has code for, and is not asked about: its
// spawns cost no request to the file server.
func (s *Server) mayExec(sys ipc.Sys, p *proc, path string) ipc.Errno {
	if s.opts.Exec == nil || p.credOf().IsRoot() {
		return 0
	}
	if e := ipc.ErrnoOf(s.opts.Exec.MayExec(sys, p.credOf(), path)); e == linux.EACCES {
		return e
	}
	return 0
}

// setcred serves Setcred (step 2).
func (s *Server) setcred(r *request) ipc.Message {
	p := r.self
	uid, gid := r.m.Word(0), r.m.Word(1)
	if uid > 1<<32-2 || gid > 1<<32-2 {
		return fail(r, linux.EINVAL)
	}
	c := ipc.Cred{UID: uint32(uid), GID: uint32(gid)}
	if now := p.credOf(); !now.IsRoot() && c != now {
		return fail(r, linux.EPERM)
	}
	if err := r.ctx.Sys.SetCred(p.Task, c); err != nil {
		return fail(r, ipc.ErrnoOf(err))
	}
	p.UID, p.GID = c.UID, c.GID
	s.touch(p)
	return ok(r)
}

// adoptCred gives p, a process pm adopts, its task's credentials (step 1).
func adoptCred(r *request, p *proc) {
	c := senderCred(r)
	p.UID, p.GID = c.UID, c.GID
}
