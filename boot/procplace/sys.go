package procplace

import (
	"github.com/mkos/mkos/ipc"
)

// remoteSys is the ipc.Sys a server sees in its process: every method
// writes a request into the shared window, hands the window to the proxy
// task in the kernel (one round trip) and reads the result back. The
// server's code is the same as in a task; only this handle differs.
type remoteSys struct {
	win   []byte                         // the shared window's data
	trip  func(n uint32) (uint32, error) // hand over n bytes, get the reply's length
	fatal func(err error)                // the proxy is gone: the process ends
	e     enc
	d     dec
	self  ipc.Endpoint
	held  map[devTag][]byte // the server's device buffers, filled at DevDone
}

func newRemoteSys(win []byte, trip func(uint32) (uint32, error), fatal func(error)) *remoteSys {
	return &remoteSys{win: win, trip: trip, fatal: fatal, held: map[devTag][]byte{}}
}

// begin starts a request for op o.
func (r *remoteSys) begin(o op) *enc {
	r.e.reset(r.win)
	r.e.u64(uint64(o))
	return &r.e
}

// call sends the request and returns the reply's decoder positioned after
// the errno, and the errno. A request too big for the window fails with
// EMSGSIZE without crossing.
func (r *remoteSys) call() (*dec, error) {
	if r.e.over {
		r.d.reset(nil)
		return &r.d, ipc.ErrTooBig
	}
	n, err := r.trip(uint32(r.e.n))
	if err != nil {
		r.fatal(err)
	}
	r.d.reset(r.win[:n])
	return &r.d, r.d.err()
}

func (r *remoteSys) Self() ipc.Endpoint {
	if r.self == 0 {
		r.begin(opSelf)
		d, _ := r.call()
		r.self = d.ep()
	}
	return r.self
}

func (r *remoteSys) Now() int64 {
	r.begin(opNow)
	d, _ := r.call()
	return d.i64()
}

func (r *remoteSys) Send(dst ipc.Endpoint, m *ipc.Message) error {
	e := r.begin(opSend)
	e.ep(dst)
	e.msg(m)
	_, err := r.call()
	return err
}

func (r *remoteSys) Receive(from ipc.Endpoint, m *ipc.Message) error {
	r.begin(opReceive).ep(from)
	d, err := r.call()
	d.msg(m)
	r.fault(d)
	return err
}

func (r *remoteSys) Call(dst ipc.Endpoint, req, reply *ipc.Message) error {
	e := r.begin(opCall)
	e.ep(dst)
	e.msg(req)
	d, err := r.call()
	d.msg(reply)
	return err
}

func (r *remoteSys) CallWith(dst ipc.Endpoint, req, reply *ipc.Message, x *ipc.Extra) error {
	if x == nil {
		x = &ipc.Extra{}
	}
	e := r.begin(opCallWith)
	e.ep(dst)
	e.msg(req)
	e.bytes(x.Send)
	e.u64(uint64(len(x.Recv)))
	e.i64(x.TimeoutNs)
	d, err := r.call()
	d.msg(reply)
	n := d.bytesInto(x.Recv)
	clear(x.Recv[n:]) // the proxy sends what the callee wrote, without trailing zeros
	return err
}

func (r *remoteSys) Reply(to ipc.Endpoint, m *ipc.Message) error {
	e := r.begin(opReply)
	e.ep(to)
	e.msg(m)
	_, err := r.call()
	return err
}

func (r *remoteSys) ReplyWait(to ipc.Endpoint, reply, next *ipc.Message) error {
	e := r.begin(opReplyWait)
	e.ep(to)
	e.msg(reply)
	d, err := r.call()
	d.msg(next)
	r.fault(d)
	return err
}

// fault runs the host fault the proxy sent with a received request.
func (r *remoteSys) fault(d *dec) {
	if f := HostFault(d.u64()); f != 0 {
		f.run()
	}
}

func (r *remoteSys) Notify(dst ipc.Endpoint, bits uint64) error {
	r.begin(opNotify).words(uint64(dst), bits)
	_, err := r.call()
	return err
}

func (r *remoteSys) Poll() uint64 {
	r.begin(opPoll)
	d, _ := r.call()
	return d.u64()
}

func (r *remoteSys) CopyIn(caller ipc.Endpoint, off int, dst []byte) (int, error) {
	r.begin(opCopyIn).words(uint64(caller), uint64(off), uint64(len(dst)))
	d, err := r.call()
	return d.bytesInto(dst), err
}

func (r *remoteSys) CopyOut(caller ipc.Endpoint, off int, src []byte) (int, error) {
	e := r.begin(opCopyOut)
	e.words(uint64(caller), uint64(off))
	e.bytes(src)
	d, err := r.call()
	return int(d.i64()), err
}

func (r *remoteSys) Register(name string) (ipc.ServiceID, error) {
	r.begin(opRegister).str(name)
	d, err := r.call()
	return ipc.ServiceID(d.u64()), err
}

func (r *remoteSys) Lookup(name string) (ipc.ServiceID, error) {
	r.begin(opLookup).str(name)
	d, err := r.call()
	return ipc.ServiceID(d.u64()), err
}

func (r *remoteSys) Sleep(ns int64) error {
	r.begin(opSleep).i64(ns)
	_, err := r.call()
	return err
}

func (r *remoteSys) SetTimer(deadline int64, bits uint64) error {
	r.begin(opSetTimer).words(uint64(deadline), bits)
	_, err := r.call()
	return err
}

func (r *remoteSys) Compute(ns int64) {
	r.begin(opCompute).i64(ns)
	r.call()
}

func (r *remoteSys) Yield() {
	r.begin(opYield)
	r.call()
}

func (r *remoteSys) Rand() uint64 {
	r.begin(opRand)
	d, _ := r.call()
	return d.u64()
}

func (r *remoteSys) Device(name string) (ipc.DevID, error) {
	r.begin(opDevice).str(name)
	d, err := r.call()
	return ipc.DevID(d.u64()), err
}

func (r *remoteSys) DevStart(dev ipc.DevID, req *ipc.DevRequest) error {
	e := r.begin(opDevStart)
	e.words(uint64(dev), uint64(req.Op), req.Tag)
	for _, a := range req.Arg {
		e.i64(a)
	}
	e.bytes(req.Buf)
	_, err := r.call()
	if err == nil {
		r.held[devTag{dev, req.Tag}] = req.Buf
	}
	return err
}

func (r *remoteSys) DevDone(dev ipc.DevID) (ipc.DevCompletion, bool) {
	r.begin(opDevDone).u64(uint64(dev))
	d, _ := r.call()
	ok := d.flag()
	c := ipc.DevCompletion{Tag: d.u64(), Op: uint16(d.u64()), Errno: ipc.Errno(d.u64()), N: int(d.u64()), DoneNs: d.i64()}
	data := d.bytes()
	if key := (devTag{dev, c.Tag}); ok {
		copy(r.held[key], data)
		delete(r.held, key)
	}
	return c, ok
}

func (r *remoteSys) Load(va uint64, buf []byte) error {
	r.begin(opLoad).words(va, uint64(len(buf)))
	d, err := r.call()
	d.bytesInto(buf)
	return err
}

func (r *remoteSys) Store(va uint64, data []byte) error {
	e := r.begin(opStore)
	e.u64(va)
	e.bytes(data)
	_, err := r.call()
	return err
}

func (r *remoteSys) VM(req *ipc.VMRequest) error {
	e := r.begin(opVM)
	e.words(uint64(req.Op), uint64(req.Task), req.VA, uint64(req.Frame), uint64(req.Prot))
	e.bytes(req.Buf)
	d, err := r.call()
	req.Frame, req.Flags = uint32(d.u64()), uint32(d.u64())
	d.bytesInto(req.Buf)
	n := d.u64()
	req.Frames = req.Frames[:0]
	for i := uint64(0); i < n && !d.short; i++ {
		req.Frames = append(req.Frames, ipc.FrameInfo{Frame: uint32(d.u64()), Mappings: int(d.u64()), Task: d.ep(), VA: d.u64()})
	}
	return err
}

func (r *remoteSys) Grant(to ipc.Endpoint, va, length uint64, prot ipc.Prot) (ipc.GrantID, error) {
	r.begin(opGrant).words(uint64(to), va, length, uint64(prot))
	d, err := r.call()
	return ipc.GrantID(d.u64()), err
}

func (r *remoteSys) Revoke(g ipc.GrantID) error {
	r.begin(opRevoke).u64(uint64(g))
	_, err := r.call()
	return err
}

func (r *remoteSys) GrantCopy(owner ipc.Endpoint, g ipc.GrantID, off uint64, buf []byte, write bool) (int, error) {
	e := r.begin(opGrantCopy)
	e.words(uint64(owner), uint64(g), off)
	e.flag(write)
	if write {
		e.bytes(buf)
	} else {
		e.u64(uint64(len(buf)))
	}
	d, err := r.call()
	n := int(d.i64())
	if !write {
		d.bytesInto(buf)
	}
	return n, err
}

func (r *remoteSys) MemStats() ipc.MemStats {
	r.begin(opMemStats)
	d, _ := r.call()
	return d.stats()
}

// Exit asks the proxy to end the task; the proxy then kills this process,
// so Exit does not return.
func (r *remoteSys) Exit(code int) {
	r.begin(opExit).i64(int64(code))
	r.call()
	select {} // the proxy kills the process
}

func (r *remoteSys) Kill(ep ipc.Endpoint) error {
	r.begin(opKill).ep(ep)
	_, err := r.call()
	return err
}

func (r *remoteSys) Inject(service string, kind ipc.Injection, param int64) error {
	e := r.begin(opInject)
	e.str(service)
	e.words(uint64(kind), uint64(param))
	_, err := r.call()
	return err
}

func (r *remoteSys) Supervise() error {
	r.begin(opSupervise)
	_, err := r.call()
	return err
}

func (r *remoteSys) NextDeath() (ipc.Death, bool) {
	r.begin(opNextDeath)
	d, _ := r.call()
	ok := d.flag()
	return d.death(), ok
}

func (r *remoteSys) Cred(ep ipc.Endpoint) (ipc.Cred, error) {
	r.begin(opCred).ep(ep)
	d, err := r.call()
	return d.cred(), err
}

func (r *remoteSys) TaskTime(ep ipc.Endpoint) (ipc.TaskTime, error) {
	r.begin(opTaskTime).ep(ep)
	d, err := r.call()
	return ipc.TaskTime{UserNs: d.i64(), SysNs: d.i64()}, err
}

// Host sends req to the proxy's host side (Options.Host) and returns its
// answer, which stays valid until the next call. It is no system call and
// charges no virtual time.
func (r *remoteSys) Host(req []byte) ([]byte, error) {
	r.begin(opHost).bytes(req)
	d, err := r.call()
	return d.bytes(), err
}

func (r *remoteSys) SetCred(ep ipc.Endpoint, c ipc.Cred) error {
	e := r.begin(opSetCred)
	e.ep(ep)
	e.cred(c)
	_, err := r.call()
	return err
}

func (r *remoteSys) WatchExits() error {
	r.begin(opWatchExits)
	_, err := r.call()
	return err
}

// Update is refused without crossing: a live update is the
// reincarnation server's, which never runs in a process of its own. A
// server in a process takes part in one through StateGet and StatePut,
// which its ipc.Serve answers like any message.
func (r *remoteSys) Update(string, ipc.UpdateStep, ipc.Endpoint, ipc.Endpoint) error {
	return ipc.ErrPerm
}

var _ ipc.Sys = (*remoteSys)(nil)
