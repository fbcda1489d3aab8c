package kernel

import (
	"github.com/mkos/mkos/ipc"
)

// kframe is one request being served by a server placed in the kernel: the
// stamped copy of the request, the caller's bulk window, and the Ctx and Sys
// the handler sees. Frames are kept per task and reused, so an in-kernel
// call allocates nothing. LECTURE: in-kernel-call
type kframe struct {
	k      *Kernel
	t      *Task // the task on whose behalf the handler runs
	svc    *service
	req    ipc.Message
	x      *ipc.Extra
	caller ipc.Endpoint
	ctx    ipc.Ctx
	rep    ipc.Message // scratch reply for a Send
}

// frame returns t's frame for the current nesting depth.
func (t *Task) frame(k *Kernel) *kframe {
	if t.depth < len(t.kfrm) {
		return t.kfrm[t.depth]
	}
	for len(t.kfrm) <= t.depth {
		f := &kframe{k: k, t: t}
		f.ctx.Sys = f
		t.kfrm = append(t.kfrm, f)
	}
	return t.kfrm[t.depth]
}

// callKernel serves t's request to in-kernel service svc inside t's trap:
// the handler is a function call, not a context switch. A panic in the
// handler is a kernel panic.
func (k *Kernel) callKernel(t *Task, svc *service, m, reply *ipc.Message, x *ipc.Extra) {
	c := k.cpuOf(t)
	t0 := c.now
	c.charge(k.cfg.Profile.KernelCallNs)
	svc.count()
	f := t.frame(k)
	f.svc, f.req, f.x = svc, *m, x
	f.req.Source, f.req.Service = t.ep, svc.id
	f.caller = t.ep
	f.ctx.Caller = t.ep
	if t.op != opCall || reply == nil {
		reply = &f.rep // a Send: the reply is dropped
	}
	t.depth++
	*reply = svc.handler.Handle(&f.ctx, &f.req) // a panic here is a kernel panic: see handlerPanic
	t.depth--
	f.x = nil
	k.stats.KernelCalls++
	reply.Source, reply.Service = ipc.KernelEndpoint, svc.id
	svc.finish(ipc.Errno(reply.Errno), c.now-t0)
	t.err = 0
	t.op = opNone
}

// handlerPanic turns a panic that unwound a task's body into a kernel
// panic when it started in a handler placed in the kernel (the task was
// inside an in-kernel call: depth > 0), and reports whether it did. The
// fast path sets no deferred recover of its own: the task's top-level
// recover catches the panic, and this decides what it was.
func (k *Kernel) handlerPanic(t *Task, r any) bool {
	if t.depth == 0 {
		return false
	}
	f := t.kfrm[t.depth-1]
	t.depth = 0
	k.halt(&Panic{Server: f.svc.name, Request: f.req, Caller: f.caller, TimeNs: k.cpuOf(t).now, Value: r})
	return true
}

// The Sys a handler placed in the kernel sees. Calls it makes are made on
// behalf of the task in whose trap it runs; receiving makes no sense there.

func (f *kframe) Self() ipc.Endpoint { return ipc.KernelEndpoint }
func (f *kframe) Now() int64         { return f.k.cpuOf(f.t).now }
func (f *kframe) Rand() uint64       { return f.k.rng.Uint64() }

func (f *kframe) Send(dst ipc.Endpoint, m *ipc.Message) error {
	return f.t.sys.Send(dst, m)
}

func (f *kframe) Receive(ipc.Endpoint, *ipc.Message) error { return ipc.ErrNoSys }

func (f *kframe) Call(dst ipc.Endpoint, req, reply *ipc.Message) error {
	return f.t.sys.CallWith(dst, req, reply, nil)
}

func (f *kframe) CallWith(dst ipc.Endpoint, req, reply *ipc.Message, x *ipc.Extra) error {
	return f.t.sys.CallWith(dst, req, reply, x)
}

func (f *kframe) Reply(ipc.Endpoint, *ipc.Message) error { return ipc.ErrNoSys }

func (f *kframe) ReplyWait(ipc.Endpoint, *ipc.Message, *ipc.Message) error { return ipc.ErrNoSys }

func (f *kframe) Notify(dst ipc.Endpoint, bits uint64) error { return f.t.sys.Notify(dst, bits) }

// CopyIn copies from the caller's send window: the caller is the task the
// handler runs for, so only its own request's window is reachable.
func (f *kframe) CopyIn(caller ipc.Endpoint, off int, dst []byte) (int, error) {
	if caller != f.caller {
		return 0, ipc.ErrPerm
	}
	if f.x == nil {
		return 0, ipc.ErrFault // no window offered, as for a server task
	}
	if len(dst) > ipc.MaxBulk {
		return 0, ipc.ErrTooBig
	}
	n, e := f.k.copyBulk(f.t, dst, f.x.Send, off)
	return n, errOf(e)
}

// CopyOut copies into the caller's receive window.
func (f *kframe) CopyOut(caller ipc.Endpoint, off int, src []byte) (int, error) {
	if caller != f.caller {
		return 0, ipc.ErrPerm
	}
	if f.x == nil {
		return 0, ipc.ErrFault // no window offered, as for a server task
	}
	if len(src) > ipc.MaxBulk {
		return 0, ipc.ErrTooBig
	}
	if off < 0 || off > len(f.x.Recv) {
		return 0, ipc.ErrFault
	}
	n, e := f.k.copyBulk(f.t, f.x.Recv[off:], src, 0)
	return n, errOf(e)
}

func (f *kframe) Register(string) (ipc.ServiceID, error) { return 0, ipc.ErrPerm }
func (f *kframe) Lookup(name string) (ipc.ServiceID, error) {
	return f.t.sys.Lookup(name)
}
func (f *kframe) Sleep(ns int64) error                       { return f.t.sys.Sleep(ns) }
func (f *kframe) SetTimer(int64, uint64) error               { return ipc.ErrNoSys }
func (f *kframe) Compute(ns int64)                           { f.t.sys.Compute(ns) }
func (f *kframe) Yield()                                     {}
func (f *kframe) Spawn(s ipc.TaskSpec) (ipc.Endpoint, error) { return f.t.sys.Spawn(s) }
func (f *kframe) Exit(int)                                   { panic("Exit called by a server placed in the kernel") }
func (f *kframe) Kill(ep ipc.Endpoint) error                 { return f.t.sys.Kill(ep) }
func (f *kframe) Supervise() error                           { return ipc.ErrPerm }
func (f *kframe) NextDeath() (ipc.Death, bool)               { return ipc.Death{}, false }

// errOf turns a kernel errno into a system call error.
func errOf(e ipc.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}
