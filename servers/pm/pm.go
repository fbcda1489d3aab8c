package pm

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// Files is the hook through which pm asks the file server whether a
// program's file exists. With it, spawn fails with ENOENT for a path the
// file system does not have and with ENOEXEC for a file pm has no code
// for; without it (nil), the registry alone decides.
type Files interface {
	Exists(sys ipc.Sys, path string) bool
}

// Options configure a process manager.
type Options struct {
	// Programs is the registry of what can be spawned: path → code. Boot
	// passes user/programs' table; pm cannot import user code itself.
	Programs map[string]pmproto.Program
	// Files, when set, is asked about each path first (see Files).
	Files Files
	// Store keeps the process table across a restart of pm; nil gives a
	// fresh MemStore (the table dies with pm).
	Store Store
	// MaxProcs bounds the table, zombies included (default 1024); spawn
	// fails with EAGAIN when it is full.
	MaxProcs int
	// MaxProcsPerUser bounds the processes of one ordinary user, zombies
	// included (default half of MaxProcs), as Linux's RLIMIT_NPROC: one
	// user's fork bomb leaves room for everyone else. Root is not bound.
	MaxProcsPerUser int
	// Priv is the privilege record every program runs with (default
	// ipc.UserPriv: no privileged kernel call). The kernel refuses a
	// record beyond pm's own.
	Priv *ipc.Priv
	// Exec, when set, is asked whether the caller may execute a
	// program's file (see Exec); nil lets everyone run every program.
	Exec Exec
	// Loader, when set, is asked for the code of a path the registry does
	// not have (see Loader); nil leaves such a path ENOENT.
	Loader Loader
}

// Loader is the hook through which pm finds a program in a file rather
// than in its registry: boot's reads the file's first bytes from the file
// server and answers a WebAssembly module (user/wasi) with the program
// that runs it. Load returns ENOENT when there is no such file and
// ENOEXEC when the file holds no program it knows.
type Loader interface {
	Load(sys ipc.Sys, path string) (pmproto.Program, error)
}

// Server is the process manager. Run one instance: the table is not
// shared between instances.
type Server struct {
	opts    Options
	t       table
	waiters map[int]waiter // pid → the wait it is blocked in
	fx      []effect       // effects not yet carried out (effects.go)
	dirty   map[int]bool   // pids whose records must be written to the Store
	loaded  bool           // the Store has been read (on the first request)
}

// New returns a process manager.
func New(opts Options) *Server {
	if opts.Store == nil {
		opts.Store = NewMemStore()
	}
	if opts.MaxProcs <= 0 || opts.MaxProcs >= pmproto.MaxPid {
		opts.MaxProcs = 1024
	}
	if opts.MaxProcsPerUser <= 0 {
		opts.MaxProcsPerUser = opts.MaxProcs / 2
	}
	return &Server{opts: opts, t: newTable(opts.MaxProcs), waiters: map[int]waiter{}, dirty: map[int]bool{}}
}

// request is one request being served.
type request struct {
	ctx  *ipc.Ctx
	m    *ipc.Message
	self *proc // the caller's process; nil when pm does not know the caller
}

// op is one line of the request table.
type op struct {
	// adopts: the request needs the caller's process, and a caller pm
	// does not know is adopted (given a pid, parent 0) first.
	adopts bool
	serve  func(s *Server, r *request) ipc.Message
}

// ops is the request table: every request pm serves, in pmproto's order.
var ops = [pmproto.LastRequest + 1]op{
	pmproto.Spawn:     {true, (*Server).spawn},
	pmproto.Attach:    {false, (*Server).attach},
	pmproto.Exit:      {false, (*Server).exit},
	pmproto.Wait:      {true, (*Server).wait},
	pmproto.Kill:      {false, (*Server).kill},
	pmproto.Getpid:    {true, (*Server).getpid},
	pmproto.Setpgid:   {true, (*Server).setpgid},
	pmproto.Getpgid:   {false, (*Server).getpgid},
	pmproto.Sigaction: {true, (*Server).sigaction},
	pmproto.Ps:        {false, (*Server).ps},
	pmproto.Fds:       {true, (*Server).fds},
	pmproto.Setcred:   {true, (*Server).setcred},
}

// Handle serves one pm request: find the caller's process (adopting it if
// the request needs one), serve, write what changed to the Store, then
// carry out the effects — deferred replies, signal notifications, kills.
func (s *Server) Handle(ctx *ipc.Ctx, m *ipc.Message) ipc.Message {
	if int(m.Type) >= len(ops) || ops[m.Type].serve == nil {
		return ipc.ErrorReply(m, linux.ENOSYS)
	}
	s.load(ctx.Sys)
	o := ops[m.Type]
	r := &request{ctx: ctx, m: m, self: s.t.byTask(ctx.Caller)}
	if o.adopts && r.self == nil {
		p, e := s.adopt(r, adoptedName(ctx.Caller))
		if e != 0 {
			return ipc.ErrorReply(m, e)
		}
		r.self = p
	}
	rep := o.serve(s, r)
	s.flush(ctx.Sys)
	s.carryOut(r)
	return rep
}

// adopt makes the calling task, which pm did not spawn, a process with
// parent 0. The first process pm ever has is pid 1, init.
func (s *Server) adopt(r *request, name string) (*proc, ipc.Errno) {
	switch {
	case r.ctx.Caller == ipc.KernelEndpoint:
		return nil, linux.EPERM // a kernel thread is not a process
	case s.t.full():
		return nil, linux.EAGAIN
	}
	p := &proc{Ppid: 0, Task: r.ctx.Caller, State: alive, Name: name, StartNs: r.ctx.Sys.Now()}
	adoptCred(r, p)
	p.Pid = s.t.alloc()
	p.Pgid = p.Pid
	s.t.add(p)
	s.touch(p)
	return p, 0
}

// self returns the caller's process, adopting the caller if needed.
func (s *Server) self(r *request) (*proc, ipc.Errno) {
	if r.self != nil {
		return r.self, 0
	}
	p, e := s.adopt(r, adoptedName(r.ctx.Caller))
	r.self = p
	return p, e
}

// initPid returns the pid orphans go to: 1 while init lives, else 0 (no
// parent: they are reaped as they end).
func (s *Server) initPid() int {
	if p := s.t.get(1); p != nil && p.State != zombie {
		return 1
	}
	return 0
}

// ok returns a successful reply to r with the given words.
func ok(r *request, words ...uint64) ipc.Message {
	rep := ipc.Reply(r.m)
	for i, w := range words {
		rep.SetWord(i, w)
	}
	return rep
}

// fail returns a reply to r that fails with e.
func fail(r *request, e ipc.Errno) ipc.Message { return ipc.ErrorReply(r.m, e) }

// idsReply answers with p's pid, parent and group.
func idsReply(r *request, p *proc) ipc.Message {
	return ok(r, uint64(p.Pid), uint64(p.Ppid), uint64(p.Pgid))
}

// word returns payload word i of the request as a signed number.
func word(r *request, i int) int { return int(int64(r.m.Word(i))) }
