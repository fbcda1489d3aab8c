package kernel

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/sched"
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
	svc.count(t0)
	f := t.frame(k)
	f.svc, f.req, f.x = svc, *m, x
	f.req.Source, f.req.Service = t.ep, svc.id
	f.caller = t.ep
	f.ctx.Caller = t.ep
	if t.op != opCall || reply == nil {
		reply = &f.rep // a Send: the reply is dropped
	}
	if svc.armed != nil && k.strikeKernel(t, svc, m) {
		return
	}
	if k.pulse != nil {
		k.pulse.run(t, t.call, c.now) // the server's code runs
	}
	t.depth++
	*reply = svc.handler.Handle(&f.ctx, &f.req) // a panic here is a kernel panic: see handlerPanic
	t.depth--
	f.x = nil
	k.stats.KernelCalls++
	if reply.Type == ipc.NoReply && reply != &f.rep {
		k.deferCall(t, svc, reply, x, t0)
		k.endHandler(t)
		return
	}
	reply.Source, reply.Service = ipc.KernelEndpoint, svc.id
	if t.spoil != nil {
		t.spoil = nil
		k.scramble(reply)
	}
	svc.finish(ipc.Errno(reply.Errno), c.now-t0, c.now)
	t.err = 0
	t.op = opNone
	k.endHandler(t)
}

// deferCall blocks t until in-kernel service svc answers it with Reply:
// its handler returned ipc.NoReply (a driver waiting for its device).
func (k *Kernel) deferCall(t *Task, svc *service, reply *ipc.Message, x *ipc.Extra, t0 int64) {
	t.kwait, t.rbuf, t.extra, t.callSvc, t.callT0 = svc, reply, x, svc, t0
	t.op = opCall
	k.block(t, stateAwaitReply, nil)
	k.armTimeout(t, k.cpuOf(t).now)
}

// kreply delivers an in-kernel service's late reply to task `to`.
func (k *Kernel) kreply(svc *service, to ipc.Endpoint, m *ipc.Message, now int64) ipc.Errno {
	r, e := k.lookup(to)
	if e != 0 {
		return e
	}
	if r.state != stateAwaitReply || r.kwait != svc {
		return ipc.ErrPerm
	}
	*r.rbuf = *m
	r.rbuf.Source, r.rbuf.Service = ipc.KernelEndpoint, svc.id
	svc.end(r, ipc.Errno(m.Errno), now)
	r.kwait, r.err, r.op, r.callDeadline = nil, 0, opNone, 0
	k.ready(r, sched.Woken, now)
	return 0
}

// kthreadBody is the kernel thread of an in-kernel service that takes
// notifications or death notices: it waits for them and runs the server's
// Exited (for each notice) and Notified (for the other bits) inside the
// kernel, where a panic is a kernel panic.
func (k *Kernel) kthreadBody(s *service, srv ipc.Server) func(ipc.Sys) {
	n, notified := srv.(ipc.Notified)
	w, watches := srv.(ipc.ExitWatcher)
	b, busNotified := srv.(ipc.BusNotified)
	return func(sys ipc.Sys) {
		t := sys.(*proc).t
		var m ipc.Message
		for sys.Receive(ipc.KernelEndpoint, &m) == nil {
			f := t.frame(k)
			f.svc, f.req, f.x, f.caller = s, m, nil, ipc.KernelEndpoint
			f.ctx.Caller = ipc.KernelEndpoint
			bits := m.Word(0)
			t.depth++
			if watches && bits&ipc.NotifyDeath != 0 {
				ipc.DeliverDeaths(&f.ctx, w)
				bits &^= ipc.NotifyDeath
			}
			if busNotified && bits&ipc.NotifyBus != 0 {
				b.BusNotified(&f.ctx)
				bits &^= ipc.NotifyBus
			}
			if notified && bits != 0 {
				n.Notified(&f.ctx, bits)
			}
			t.depth--
			k.endHandler(t)
		}
	}
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

// Reply answers a caller this in-kernel service deferred with ipc.NoReply.
func (f *kframe) Reply(to ipc.Endpoint, m *ipc.Message) error {
	return errOf(f.k.kreply(f.svc, to, m, f.k.cpuOf(f.t).now))
}

func (f *kframe) ReplyWait(ipc.Endpoint, *ipc.Message, *ipc.Message) error { return ipc.ErrNoSys }

func (f *kframe) Notify(dst ipc.Endpoint, bits uint64) error { return f.t.sys.Notify(dst, bits) }

// Poll has no notifications to return: code in the kernel takes them in its
// kernel thread.
func (f *kframe) Poll() uint64 { return 0 }

// window returns the bulk window of caller: the request being served, or
// a request this service deferred with ipc.NoReply.
func (f *kframe) window(caller ipc.Endpoint) (*ipc.Extra, ipc.Errno) {
	x := f.x
	if caller != f.caller {
		r, e := f.k.lookup(caller)
		if e != 0 || r.state != stateAwaitReply || r.kwait != f.svc {
			return nil, ipc.ErrPerm
		}
		x = r.extra
	}
	if x == nil {
		return nil, ipc.ErrFault // no window offered, as for a server task
	}
	return x, 0
}

// CopyIn copies from the caller's send window: only the window of a request
// this service is serving (or deferred) is reachable.
func (f *kframe) CopyIn(caller ipc.Endpoint, off int, dst []byte) (int, error) {
	x, e := f.window(caller)
	if e != 0 {
		return 0, e
	}
	if len(dst) > ipc.MaxBulk {
		return 0, ipc.ErrTooBig
	}
	n, e := f.k.copyBulk(f.t, dst, x.Send, off)
	return n, errOf(e)
}

// CopyOut copies into the caller's receive window.
func (f *kframe) CopyOut(caller ipc.Endpoint, off int, src []byte) (int, error) {
	x, e := f.window(caller)
	if e != 0 {
		return 0, e
	}
	if len(src) > ipc.MaxBulk {
		return 0, ipc.ErrTooBig
	}
	if off < 0 || off > len(x.Recv) {
		return 0, ipc.ErrFault
	}
	n, e := f.k.copyBulk(f.t, x.Recv[off:], src, 0)
	return n, errOf(e)
}

// Device returns the named device: code in the kernel may program any.
func (f *kframe) Device(name string) (ipc.DevID, error) {
	id, e := f.k.lookupDevice(f.t, name, true)
	return id, errOf(e)
}

// DevStart starts an operation on a device.
func (f *kframe) DevStart(id ipc.DevID, req *ipc.DevRequest) error {
	d, e := f.k.deviceFor(f.t, id, true)
	if e != 0 {
		return e
	}
	return errOf(f.k.devStart(d, req, f.k.cpuOf(f.t).now))
}

// DevDone returns a device's oldest unread completion.
func (f *kframe) DevDone(id ipc.DevID) (ipc.DevCompletion, bool) {
	d, e := f.k.deviceFor(f.t, id, true)
	if e != 0 {
		return ipc.DevCompletion{}, false
	}
	return f.k.devDone(d)
}

func (f *kframe) Register(string) (ipc.ServiceID, error) { return 0, ipc.ErrPerm }
func (f *kframe) Lookup(name string) (ipc.ServiceID, error) {
	return f.t.sys.Lookup(name)
}
func (f *kframe) Sleep(ns int64) error                       { return f.t.sys.Sleep(ns) }
func (f *kframe) Compute(ns int64)                           { f.t.sys.Compute(ns) }
func (f *kframe) Yield()                                     {}
func (f *kframe) Spawn(s ipc.TaskSpec) (ipc.Endpoint, error) { return f.t.sys.Spawn(s) }
func (f *kframe) Exit(int)                                   { panic("Exit called by a server placed in the kernel") }
func (f *kframe) Kill(ep ipc.Endpoint) error                 { return f.t.sys.Kill(ep) }
func (f *kframe) Inject(service string, kind ipc.Injection, param int64) error {
	return f.t.sys.Inject(service, kind, param)
}
func (f *kframe) Supervise() error { return ipc.ErrPerm }

// errOf turns a kernel errno into a system call error.
func errOf(e ipc.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}

func (f *kframe) Cred(ep ipc.Endpoint) (ipc.Cred, error)         { return f.t.sys.Cred(ep) }
func (f *kframe) TaskTime(ep ipc.Endpoint) (ipc.TaskTime, error) { return f.t.sys.TaskTime(ep) }
func (f *kframe) SetCred(ep ipc.Endpoint, c ipc.Cred) error {
	return f.t.sys.SetCred(ep, c)
}

// SetTimer arms the timer of the service's kernel thread: an in-kernel
// server that takes notifications (a network stack's retransmission
// timers) hears TimerBit-like bits at deadline through Notified, as a
// server task would. ENOSYS for a service without a kernel thread.
func (f *kframe) SetTimer(deadline int64, bits uint64) error {
	t := f.svc.kthread
	if t == nil {
		return ipc.ErrNoSys
	}
	t.timerAt, t.timerBits = 0, bits
	if deadline > 0 {
		t.timerAt = max(deadline, f.Now())
		f.k.after(t.timerAt, evTimer, t)
	}
	return nil
}
