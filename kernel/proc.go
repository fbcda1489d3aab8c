package kernel

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/sched"
)

// proc is a task's system-call handle, its ipc.Sys. Each method is one
// trap: enter the kernel, do the kernel half, run whatever must run next,
// return the result. LECTURE: trap
type proc struct {
	k *Kernel
	t *Task
}

// enter is the trap's entry for system call `call`: a dead task's or a
// halted system's trap unwinds the body instead; otherwise the crossing is
// charged. For a watchdog's pulse (pulse.go), t notes the call.
func (p *proc) enter(call string) *cpu {
	k, t := p.k, p.t
	c := k.cpuOf(t)
	if k.pulse != nil {
		t.call = call
	}
	if t.killed || t.dying != nil && t.depth == 0 || k.halted != nil || k.ended {
		k.unwindBody(t) // (a handler placed in the kernel may trap while the end it caused unwinds)
	}
	c.charge(k.cfg.Profile.TrapNs)
	k.stats.Traps++
	return c
}

// leave runs what must run next and returns t's result. It is small enough
// to be inlined: every frame between the body and the coroutine switch costs
// a mispredicted return after the switch.
func (p *proc) leave() error {
	p.k.resched(p.t)
	return p.t.result()
}

// refuse fails the trap with e.
func (p *proc) refuse(e ipc.Errno) error {
	p.t.err = e
	return p.leave()
}

func (p *proc) Self() ipc.Endpoint { return p.t.ep }
func (p *proc) Now() int64         { return p.k.cpuOf(p.t).now }
func (p *proc) Rand() uint64       { return p.k.rng.Uint64() }

func (p *proc) Send(dst ipc.Endpoint, m *ipc.Message) error {
	p.enter("Send")
	if e := p.mayType(m.Type, dst); e != 0 {
		return p.refuse(e)
	}
	p.k.send(p.t, dst, m, nil, nil, false)
	return p.leave()
}

// mayType checks that the task may send a message of type t to dst: none
// of the kernel's own types, and StateGet or StatePut only with KUpdate
// and to a task (a live update's state transfer, update.go).
func (p *proc) mayType(t ipc.Type, dst ipc.Endpoint) ipc.Errno {
	switch {
	case ipc.IsKernelType(t):
		return ipc.ErrInvalid
	case !ipc.IsStateType(t):
		return 0
	case dst.IsService():
		return ipc.ErrInvalid
	}
	return p.k.allow(p.t, ipc.KUpdate, ipc.TypeName("", t))
}

func (p *proc) Receive(from ipc.Endpoint, m *ipc.Message) error {
	p.enter("Receive")
	p.k.receive(p.t, from, m, nil)
	return p.leave()
}

func (p *proc) Call(dst ipc.Endpoint, req, reply *ipc.Message) error {
	p.enter("Call")
	if e := p.mayType(req.Type, dst); e != 0 {
		return p.refuse(e)
	}
	p.k.send(p.t, dst, req, reply, nil, true)
	return p.leave()
}

func (p *proc) CallWith(dst ipc.Endpoint, req, reply *ipc.Message, x *ipc.Extra) error {
	p.enter("CallWith")
	if e := p.mayType(req.Type, dst); e != 0 {
		return p.refuse(e)
	}
	p.k.send(p.t, dst, req, reply, x, true)
	return p.leave()
}

func (p *proc) Reply(to ipc.Endpoint, m *ipc.Message) error {
	p.enter("Reply")
	p.k.replyNow(p.t, to, m)
	return p.leave()
}

func (p *proc) ReplyWait(to ipc.Endpoint, reply, next *ipc.Message) error {
	p.enter("ReplyWait")
	p.k.replyWait(p.t, to, reply, next)
	return p.leave()
}

// Notify with bits posts them (KNotify, unless dst is the caller); with
// none it only asks whether dst lives, which anyone may. A service
// endpoint is notified as an interrupt is (notifyServiceFrom).
func (p *proc) Notify(dst ipc.Endpoint, bits uint64) error {
	c := p.enter("Notify")
	c.charge(p.k.cfg.Profile.NotifyNs)
	if dst.IsService() {
		p.t.err = p.k.notifyServiceFrom(p.t, dst.Service(), bits, c.now)
		return p.leave()
	}
	r, e := p.k.lookup(dst)
	if r != nil && bits != 0 && r != p.t {
		e = p.k.allow(p.t, ipc.KNotify, "to "+r.name)
	}
	p.t.err = e
	if e == 0 && bits != 0 {
		p.k.notify(r, bits, c.now)
	}
	return p.leave()
}

func (p *proc) Poll() uint64 {
	p.enter("Poll")
	bits := p.t.pending
	p.t.pending = 0
	p.t.err = 0
	p.leave()
	return bits
}

func (p *proc) CopyIn(caller ipc.Endpoint, off int, dst []byte) (int, error) {
	p.enter("CopyIn")
	n, e := p.k.copyIn(p.t, caller, off, dst)
	p.t.err = e
	return n, p.leave()
}

func (p *proc) CopyOut(caller ipc.Endpoint, off int, src []byte) (int, error) {
	p.enter("CopyOut")
	n, e := p.k.copyOut(p.t, caller, off, src)
	p.t.err = e
	return n, p.leave()
}

func (p *proc) Register(name string) (ipc.ServiceID, error) {
	c := p.enter("Register")
	var id ipc.ServiceID
	var e ipc.Errno
	if svc, remote := ipc.SplitRemote(name); remote {
		if e = p.k.allow(p.t, ipc.KRemote, svc); e == 0 {
			id, e = p.k.registerRemote(p.t, svc, c.now)
		}
	} else if e = p.k.mayRegister(p.t, name); e == 0 {
		id, e = p.k.register(p.t, name, c.now)
	}
	p.t.err = e
	return id, p.leave()
}

func (p *proc) Lookup(name string) (ipc.ServiceID, error) {
	p.enter("Lookup")
	s, e := p.k.bus.lookupName(name, false)
	p.t.err = e
	var id ipc.ServiceID
	if s != nil {
		id = s.id
	}
	return id, p.leave()
}

func (p *proc) Sleep(ns int64) error {
	c := p.enter("Sleep")
	p.t.err = 0
	if ns > 0 {
		p.k.block(p.t, stateSleeping, nil)
		p.k.after(c.now+ns, evWake, p.t)
	}
	return p.leave()
}

func (p *proc) SetTimer(deadline int64, bits uint64) error {
	c := p.enter("SetTimer")
	p.t.err = 0
	p.t.timerAt, p.t.timerBits = 0, bits
	if deadline > 0 {
		p.t.timerAt = max(deadline, c.now)
		p.k.after(p.t.timerAt, evTimer, p.t)
	}
	return p.leave()
}

func (p *proc) Compute(ns int64) {
	p.enter("Compute")
	p.t.err = 0
	if ns > 0 {
		p.t.computeLeft = ns
	}
	p.leave()
}

func (p *proc) Yield() {
	c := p.enter("Yield")
	p.t.err = 0
	if c.rq.Len() > 0 {
		c.cur = nil
		p.t.state = stateReady
		c.rq.Add(&p.t.ent, sched.Yielded)
		p.k.dispatch(c)
	}
	p.leave()
}

func (p *proc) Device(name string) (ipc.DevID, error) {
	p.enter("Device")
	e := p.k.mayDevice(p.t, name)
	var id ipc.DevID
	if e == 0 {
		id, e = p.k.lookupDevice(p.t, name, false)
	}
	p.t.err = e
	return id, p.leave()
}

func (p *proc) DevStart(id ipc.DevID, req *ipc.DevRequest) error {
	c := p.enter("DevStart")
	d, e := p.k.deviceFor(p.t, id, false)
	if e == 0 {
		e = p.k.devStart(d, req, c.now)
	}
	p.t.err = e
	return p.leave()
}

func (p *proc) DevDone(id ipc.DevID) (ipc.DevCompletion, bool) {
	p.enter("DevDone")
	p.t.err = 0
	d, e := p.k.deviceFor(p.t, id, false)
	var c ipc.DevCompletion
	ok := false
	if e == 0 {
		c, ok = p.k.devDone(d)
	}
	p.leave()
	return c, ok
}

func (p *proc) Spawn(spec ipc.TaskSpec) (ipc.Endpoint, error) {
	c := p.enter("Spawn")
	e := p.k.allow(p.t, ipc.KSpawn, spec.Name)
	var t *Task
	if e == 0 {
		t, e = p.k.spawn(p.t, spec, c.now)
	}
	p.t.err = e
	var ep ipc.Endpoint
	if t != nil {
		ep = t.ep
	}
	return ep, p.leave()
}

func (p *proc) Exit(code int) {
	p.enter("Exit")
	p.k.die(p.t, exitCode{code})
}

func (p *proc) Kill(ep ipc.Endpoint) error {
	c := p.enter("Kill")
	if ep == p.t.ep {
		p.k.die(p.t, exitCode{137})
	}
	r, e := p.k.lookup(ep)
	if r != nil {
		e = p.k.mayKill(p.t, r)
	}
	p.t.err = e
	if e == 0 {
		p.k.kill(r, "killed", 137, c.now)
	}
	return p.leave()
}

func (p *proc) Inject(service string, kind ipc.Injection, param int64) error {
	p.enter("Inject")
	p.t.err = p.k.allow(p.t, ipc.KInject, service)
	if p.t.err == 0 {
		p.t.err = p.k.inject(service, kind, param)
	}
	return p.leave()
}

func (p *proc) Supervise() error {
	p.enter("Supervise")
	p.t.err = p.k.allow(p.t, ipc.KSupervise, "")
	if p.t.err == 0 {
		p.k.supervisor = p.t
	}
	return p.leave()
}

func (p *proc) NextDeath() (ipc.Death, bool) {
	p.enter("NextDeath")
	p.t.err = 0
	var d ipc.Death
	ok := p.k.supervisor == p.t && len(p.k.deaths) > 0
	if ok {
		d = p.k.deaths[0]
		p.k.deaths = p.k.deaths[1:]
	} else {
		d, ok = p.k.serviceDeath(p.t)
	}
	p.leave()
	return d, ok
}

func (p *proc) Cred(ep ipc.Endpoint) (ipc.Cred, error) {
	p.enter("Cred")
	r, e := p.k.lookup(ep)
	p.t.err = e
	var c ipc.Cred
	if r != nil {
		c = r.cred
	}
	return c, p.leave()
}

func (p *proc) TaskTime(ep ipc.Endpoint) (ipc.TaskTime, error) {
	p.enter("TaskTime")
	r, e := p.k.lookup(ep)
	p.t.err = e
	var tt ipc.TaskTime
	if r != nil {
		tt = ipc.TaskTime{UserNs: r.ent.RanNs, SysNs: r.sysNs}
	}
	return tt, p.leave()
}

func (p *proc) SetCred(ep ipc.Endpoint, cr ipc.Cred) error {
	p.enter("SetCred")
	e := p.k.allow(p.t, ipc.KSetCred, "of "+ep.String())
	var r *Task
	if e == 0 {
		r, e = p.k.lookup(ep)
	}
	if r != nil {
		r.cred = cr
	}
	p.t.err = e
	return p.leave()
}
