package pm

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// Spawning. LECTURE: spawn
//
//  1. Read the path, argv, environment and descriptors from the caller's
//     send window, and find the program: the Files hook (when set) must
//     know the path, the registry must have code for it (or else the
//     Loader, when set, find a program in the file), and the Exec
//     hook (when set) must not refuse the caller (cred.go).
//  2. Enter the child in the table as an embryo, with a fresh pid and a
//     random token, and write the table to the Store.
//  3. Create its task (Sys.Spawn) with the parent's credentials. The task's body is a wrapper (wrap.go)
//     that first attaches to the process (Attach with pid and token), then
//     runs the program and reports its exit.
//  4. Bind the task to the process — unless the child attached first (in
//     the kernel, it may run before Spawn returns), or was killed while it
//     was an embryo (then its new task is killed now).

// spawn serves Spawn.
func (s *Server) spawn(r *request) ipc.Message {
	parent, sys := r.self, r.ctx.Sys
	if parent.State == zombie {
		return fail(r, linux.ESRCH)
	}
	sp, e := s.readSpawn(r)
	if e != 0 {
		return fail(r, e)
	}
	prog, fromFile, e := s.program(sys, parent, sp.Path)
	if e != 0 {
		return fail(r, e)
	}
	if e := s.mayExec(sys, parent, sp.Path); e != 0 {
		return fail(r, e)
	}
	pgid, e := s.childGroup(parent, sp.Attr)
	if e != 0 {
		return fail(r, e)
	}
	if s.t.full() || s.userFull(parent.UID) {
		return fail(r, linux.EAGAIN)
	}
	c := &proc{Ppid: parent.Pid, Pgid: pgid, Name: pmproto.ShortName(sp.Path), Path: sp.Path,
		StartNs: sys.Now(), Ignored: parent.Ignored, Token: sys.Rand(), Fds: sp.Attr.Fds, UID: parent.UID, GID: parent.GID}
	c.Pid = s.t.alloc()
	if c.Pgid == 0 {
		c.Pgid = c.Pid
	}
	s.t.add(c)
	s.touch(c)
	s.flush(sys)
	argv := sp.Argv
	if len(argv) == 0 {
		argv = []string{sp.Path}
	}
	cred := c.credOf()
	task, err := sys.Spawn(ipc.TaskSpec{Name: c.Name, Priv: s.programPriv(), Cred: &cred,
		Body: body(c.Pid, c.Token, c.Name, prog, argv, sp.Env), Recipe: recipe(c, sp.Path, argv, sp.Env, fromFile)})
	if err != nil {
		if s.t.get(c.Pid) == c {
			s.t.remove(c)
			s.touch(c)
		}
		return fail(r, ipc.ErrnoOf(err))
	}
	s.started(c, task)
	return ok(r, uint64(c.Pid))
}

// userFull reports whether user uid has as many processes as one user may
// (Options.MaxProcsPerUser); root never has.
func (s *Server) userFull(uid uint32) bool {
	if uid == 0 {
		return false
	}
	n := 0
	for _, p := range s.t.procs {
		if p.UID == uid {
			n++
		}
	}
	return n >= s.opts.MaxProcsPerUser
}

// programPriv is the privilege record of the programs pm starts.
func (s *Server) programPriv() *ipc.Priv {
	if s.opts.Priv != nil {
		return s.opts.Priv
	}
	p := ipc.UserPriv()
	return &p
}

// readSpawn copies in and decodes a spawn's window.
func (s *Server) readSpawn(r *request) (pmproto.SpawnRequest, ipc.Errno) {
	n, fits := pmproto.SpawnWindow(r.m)
	if !fits {
		return pmproto.SpawnRequest{}, linux.E2BIG
	}
	buf := make([]byte, n)
	if got, err := r.ctx.CopyIn(0, buf); err != nil || got != n {
		return pmproto.SpawnRequest{}, linux.EFAULT
	}
	sp, err := pmproto.DecodeSpawn(r.m, buf)
	return sp, ipc.ErrnoOf(err)
}

// program finds the code for path for parent to run (step 1); fromFile
// says the Loader found it.
func (s *Server) program(sys ipc.Sys, parent *proc, path string) (prog pmproto.Program, fromFile bool, e ipc.Errno) {
	if s.opts.Files != nil && !s.opts.Files.Exists(sys, path) {
		return nil, false, linux.ENOENT
	}
	if prog, ok := s.opts.Programs[path]; ok {
		return prog, false, 0
	}
	if s.opts.Loader != nil {
		// The Loader reads the file as pm: ask first whether the caller
		// may execute it, so that pm tells a user nothing of a file the
		// user could not reach (EACCES, as execve(2) says).
		if e := s.mayExec(sys, parent, path); e != 0 {
			return nil, false, e
		}
		prog, e := s.loadFile(sys, path)
		return prog, e == 0, e
	}
	if s.opts.Files != nil {
		return nil, false, linux.ENOEXEC // a file, but no code for it
	}
	return nil, false, linux.ENOENT
}

// loadFile asks the Loader for the program in the file at path; an error
// outside pm's protocol (the file server's EIO, say) is ENOEXEC.
func (s *Server) loadFile(sys ipc.Sys, path string) (pmproto.Program, ipc.Errno) {
	prog, err := s.opts.Loader.Load(sys, path)
	if err == nil {
		return prog, 0
	}
	e := ipc.ErrnoOf(err)
	switch e {
	case linux.ENOENT, linux.ENOEXEC, linux.EACCES, linux.EAGAIN, linux.EIO:
		return nil, e
	}
	return nil, linux.ENOEXEC
}

// childGroup returns the group a child of parent starts in; 0 means a new
// group led by the child.
func (s *Server) childGroup(parent *proc, a pmproto.SpawnAttr) (int, ipc.Errno) {
	switch {
	case a.Flags&pmproto.SpawnSetPgroup == 0:
		return parent.Pgid, 0
	case a.Pgroup < 0:
		return 0, linux.EINVAL
	case a.Pgroup != 0 && !s.t.groupExists(a.Pgroup):
		return 0, linux.EPERM
	}
	return a.Pgroup, 0
}

// started binds child c to its new task (step 4).
func (s *Server) started(c *proc, task ipc.Endpoint) {
	switch {
	case s.t.get(c.Pid) != c || c.State == zombie:
		s.killTask(task) // ended while an embryo
	case c.Task == 0:
		s.t.bind(c, task)
		s.touch(c)
	}
}

// attach serves Attach: a spawned task proves which process it is, or a
// task pm did not spawn asks to be adopted.
func (s *Server) attach(r *request) ipc.Message {
	pid, token := word(r, 0), r.m.Word(1)
	if pid == 0 {
		if r.self != nil {
			return idsReply(r, r.self)
		}
		name := string(trimNUL(r.m.Payload[16 : 16+pmproto.NameSize-1]))
		if name == "" {
			name = adoptedName(r.ctx.Caller)
		}
		p, e := s.adopt(r, name)
		if e != 0 {
			return fail(r, e)
		}
		return idsReply(r, p)
	}
	p := s.t.get(pid)
	switch {
	case p == nil:
		return fail(r, linux.ESRCH)
	case p.Token != token || (p.Task != 0 && p.Task != r.ctx.Caller):
		return fail(r, linux.EPERM)
	case p.Task == 0:
		s.t.bind(p, r.ctx.Caller)
		s.touch(p)
	}
	return idsReply(r, p)
}

// trimNUL cuts b at its first NUL.
func trimNUL(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}
