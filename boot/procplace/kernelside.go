package procplace

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc"
)

// The proxy's kernel side: it decodes one request the server process
// wrote into the window, makes that system call on the proxy task's own
// ipc.Sys — inside the kernel, on the proxy's coroutine — and encodes the
// result. It is portable; only moving the bytes between processes is
// Linux's (proxy_linux.go).

// devTag names a device buffer held between DevStart and DevDone.
type devTag struct {
	dev ipc.DevID
	tag uint64
}

// kernelSide executes requests for one server process.
type kernelSide struct {
	sys     ipc.Sys
	d       dec
	e       enc
	held    map[devTag][]byte // device buffers the kernel holds (DMA windows)
	recv    []byte            // the receive window of the current CallWith
	scratch []byte            // CopyIn's and Load's buffer
	crossNs int64             // virtual time charged for each crossing
	exit    *int              // set when the process called Exit
	arm     *Arm              // a host fault for the next request
	kill9   func()            // SIGKILL to the process, from outside
	makers  map[string]Maker  // body makers of Spawn's recipes
	host    func([]byte) []byte
	m, r    ipc.Message // the messages of the current op: fields, so that no op allocates
	x       ipc.Extra   // the windows of the current CallWith
}

func newKernelSide(sys ipc.Sys, crossNs int64) *kernelSide {
	return &kernelSide{sys: sys, held: map[devTag][]byte{}, crossNs: crossNs}
}

// do executes the request req (a copy, not the window) and encodes the
// reply into out. It returns the reply's length; a malformed request or a
// reply that does not fit is answered with EINVAL or EMSGSIZE alone.
func (k *kernelSide) do(req, out []byte) int {
	k.d.reset(req)
	k.e.reset(out)
	o := op(k.d.u64())
	k.m, k.r = ipc.Message{}, ipc.Message{}
	if k.crossNs > 0 && o != opHost {
		k.sys.Compute(k.crossNs)
	}
	k.exec(o)
	switch {
	case k.d.short:
		k.e.reset(out)
		k.e.errno(ipc.ErrInvalid)
	case k.e.over:
		k.e.reset(out)
		k.e.errno(ipc.ErrTooBig)
	}
	return k.e.n
}

// exec runs one op. Each case reads the arguments in the order the
// process side (sys.go) wrote them and writes the results it reads.
func (k *kernelSide) exec(o op) {
	s, d, e := k.sys, &k.d, &k.e
	switch o {
	case opSelf:
		e.errno(nil)
		e.ep(s.Self())
	case opNow:
		e.errno(nil)
		e.i64(s.Now())
	case opSend:
		dst := d.ep()
		m := &k.m
		d.msg(m)
		e.errno(s.Send(dst, m))
	case opReceive:
		m := &k.m
		err := s.Receive(d.ep(), m)
		e.errno(err)
		e.msg(m)
		k.fault()
	case opCall:
		dst := d.ep()
		m, r := &k.m, &k.r
		d.msg(m)
		err := s.Call(dst, m, r)
		e.errno(err)
		e.msg(r)
	case opCallWith:
		k.callWith()
	case opReply:
		to := d.ep()
		m := &k.m
		d.msg(m)
		e.errno(s.Reply(to, m))
	case opReplyWait:
		to := d.ep()
		m, next := &k.m, &k.r
		d.msg(m)
		err := s.ReplyWait(to, m, next)
		e.errno(err)
		e.msg(next)
		k.fault()
	case opNotify:
		dst := d.ep()
		e.errno(s.Notify(dst, d.u64()))
	case opPoll:
		e.errno(nil)
		e.u64(s.Poll())
	case opCopyIn:
		k.copyIn()
	case opCopyOut:
		caller, off := d.ep(), int(d.i64())
		n, err := s.CopyOut(caller, off, d.bytes())
		e.errno(err)
		e.i64(int64(n))
	case opRegister, opLookup:
		name := d.str()
		f := s.Register
		if o == opLookup {
			f = s.Lookup
		}
		id, err := f(name)
		e.errno(err)
		e.u64(uint64(id))
	case opSleep:
		e.errno(s.Sleep(d.i64()))
	case opSetTimer:
		at := d.i64()
		e.errno(s.SetTimer(at, d.u64()))
	case opCompute:
		s.Compute(d.i64())
		e.errno(nil)
	case opYield:
		s.Yield()
		e.errno(nil)
	case opRand:
		e.errno(nil)
		e.u64(s.Rand())
	case opDevice:
		id, err := s.Device(d.str())
		e.errno(err)
		e.u64(uint64(id))
	case opDevStart:
		k.devStart()
	case opDevDone:
		k.devDone()
	default:
		k.execMem(o)
	}
}

// execMem runs the memory and task ops.
func (k *kernelSide) execMem(o op) {
	s, d, e := k.sys, &k.d, &k.e
	switch o {
	case opLoad:
		va, n := d.u64(), d.u64()
		if n > windowBytes {
			e.errno(ipc.ErrTooBig)
			return
		}
		buf := k.scratchOf(int(n))
		err := s.Load(va, buf)
		e.errno(err)
		e.bytes(buf)
	case opStore:
		va := d.u64()
		e.errno(s.Store(va, d.bytes()))
	case opVM:
		k.vm()
	case opGrant:
		to, va, n, prot := d.ep(), d.u64(), d.u64(), ipc.Prot(d.u64())
		g, err := s.Grant(to, va, n, prot)
		e.errno(err)
		e.u64(uint64(g))
	case opRevoke:
		e.errno(s.Revoke(ipc.GrantID(d.u64())))
	case opGrantCopy:
		k.grantCopy()
	case opMemStats:
		e.errno(nil)
		e.stats(s.MemStats())
	case opExit:
		code := int(d.i64())
		k.exit = &code
		e.errno(nil)
	case opKill:
		e.errno(s.Kill(d.ep()))
	case opInject:
		svc, kind := d.str(), ipc.Injection(d.u64())
		e.errno(s.Inject(svc, kind, d.i64()))
	case opSupervise:
		e.errno(s.Supervise())
	case opNextDeath:
		x, ok := s.NextDeath()
		e.errno(nil)
		e.flag(ok)
		e.death(x)
	case opCred:
		c, err := s.Cred(d.ep())
		e.errno(err)
		e.cred(c)
	case opSetCred:
		ep := d.ep()
		e.errno(s.SetCred(ep, d.cred()))
	case opWatchExits:
		e.errno(s.WatchExits())
	case opSpawn:
		k.spawn()
	case opTaskTime:
		t, err := s.TaskTime(d.ep())
		e.errno(err)
		e.i64(t.UserNs)
		e.i64(t.SysNs)
	case opHost:
		k.hostCall()
	default:
		e.errno(ipc.ErrNoSys)
	}
}

// callWith is CallWith: the send window travels in the request, the
// receive window comes back whole in the reply.
func (k *kernelSide) callWith() {
	d, e := &k.d, &k.e
	dst := d.ep()
	m, r := &k.m, &k.r
	d.msg(m)
	x := &k.x
	x.Send = d.bytes()
	n, timeout := d.u64(), d.i64()
	if n > ipc.MaxBulk*2 {
		e.errno(ipc.ErrTooBig)
		return
	}
	if uint64(cap(k.recv)) < n {
		k.recv = make([]byte, n)
	}
	x.Recv, x.TimeoutNs = k.recv[:n], timeout
	clear(x.Recv)
	err := k.sys.CallWith(dst, m, r, x)
	e.errno(err)
	e.msg(r)
	e.bytes(x.Recv[:written(x.Recv)])
}

// written is the length of b without its trailing zero bytes: what a
// callee can have written into a receive window cleared before the call.
// The process side clears the rest of its own window.
func written(b []byte) int {
	n := len(b)
	for n >= 8 && binary.LittleEndian.Uint64(b[n-8:]) == 0 {
		n -= 8
	}
	for n > 0 && b[n-1] == 0 {
		n--
	}
	return n
}

// copyIn is CopyIn into a buffer of the requested size, sent back.
func (k *kernelSide) copyIn() {
	d, e := &k.d, &k.e
	caller, off, n := d.ep(), int(d.i64()), d.u64()
	if n > ipc.MaxBulk*2 {
		e.errno(ipc.ErrTooBig)
		return
	}
	buf := k.scratchOf(int(n))
	got, err := k.sys.CopyIn(caller, off, buf)
	e.errno(err)
	e.bytes(buf[:max(got, 0)])
}

// devStart starts a device operation on a copy of the process's buffer,
// which the proxy holds until the completion (the kernel fills it then).
func (k *kernelSide) devStart() {
	d, e := &k.d, &k.e
	dev := ipc.DevID(d.u64())
	req := ipc.DevRequest{Op: uint16(d.u64()), Tag: d.u64()}
	for i := range req.Arg {
		req.Arg[i] = d.i64()
	}
	req.Buf = append([]byte(nil), d.bytes()...)
	err := k.sys.DevStart(dev, &req)
	if err == nil {
		k.held[devTag{dev, req.Tag}] = req.Buf
	}
	e.errno(err)
}

// devDone returns the oldest completion and the buffer of its operation.
func (k *kernelSide) devDone() {
	d, e := &k.d, &k.e
	dev := ipc.DevID(d.u64())
	c, ok := k.sys.DevDone(dev)
	e.errno(nil)
	e.flag(ok)
	e.words(c.Tag, uint64(c.Op), uint64(c.Errno), uint64(c.N), uint64(c.DoneNs))
	key := devTag{dev, c.Tag}
	e.bytes(k.held[key])
	if ok {
		delete(k.held, key)
	}
}

// vm is the pager's VM call: the buffer goes both ways; the frame (of
// VMAlloc, VMUnmap, VMQuery), the flags and the frame table come back.
func (k *kernelSide) vm() {
	d, e := &k.d, &k.e
	r := ipc.VMRequest{Op: ipc.VMOp(d.u64()), Task: d.ep(), VA: d.u64(), Frame: uint32(d.u64()), Prot: ipc.Prot(d.u64())}
	if b := d.bytes(); b != nil {
		r.Buf = append([]byte(nil), b...)
	}
	err := k.sys.VM(&r)
	e.errno(err)
	e.words(uint64(r.Frame), uint64(r.Flags))
	e.bytes(r.Buf)
	e.u64(uint64(len(r.Frames)))
	for _, f := range r.Frames {
		e.words(uint64(f.Frame), uint64(f.Mappings), uint64(f.Task), f.VA)
	}
}

// grantCopy is GrantCopy: the data goes in the request for a write and
// comes back in the reply for a read.
func (k *kernelSide) grantCopy() {
	d, e := &k.d, &k.e
	owner, g, off, write := d.ep(), ipc.GrantID(d.u64()), d.u64(), d.flag()
	var buf []byte
	if write {
		buf = d.bytes()
	} else {
		n := d.u64()
		if n > ipc.MaxBulk*2 {
			e.errno(ipc.ErrTooBig)
			return
		}
		buf = make([]byte, n)
	}
	n, err := k.sys.GrantCopy(owner, g, off, buf, write)
	e.errno(err)
	e.i64(int64(n))
	if !write {
		e.bytes(buf)
	}
}

// fault hands an armed host fault to the process with the request it
// receives; kill9 it does itself, from outside.
func (k *kernelSide) fault() {
	f := k.arm.take()
	if f == FaultKill9 {
		k.kill9()
		f = 0
	}
	k.e.u64(uint64(f))
}

// scratchOf returns a zeroed buffer of n bytes, reused from call to call.
func (k *kernelSide) scratchOf(n int) []byte {
	if cap(k.scratch) < n {
		k.scratch = make([]byte, n)
	}
	b := k.scratch[:n]
	clear(b)
	return b
}

// hostCall answers opHost from Options.Host; ENOSYS when the server has
// no host side.
func (k *kernelSide) hostCall() {
	req := k.d.bytes()
	if k.host == nil {
		k.e.errno(ipc.ErrNoSys)
		return
	}
	k.e.errno(nil)
	k.e.bytes(k.host(req))
}
