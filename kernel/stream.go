package kernel

import (
	"strconv"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Request/stream on the bus. LECTURE: stream
//
// A stream is one request answered by a stream of frames, with
// credit-based flow control as RSocket's request(n):
//
//  1. The client opens a stream (StreamOpen) with some credit and gets
//     its id, then makes an ordinary Call to a service carrying the id.
//  2. The server instance serving that Call accepts the stream
//     (StreamAccept: the kernel checks that the client is blocked in a
//     Call on it) and replies to the Call.
//  3. The server emits frames (StreamEmit), one credit each; with no
//     credit it gets EAGAIN and waits for NotifyBus, or blocks (Wait).
//     Frames queue at the client: never more than the credit it granted.
//  4. The client receives frames in order (StreamRecv) and grants more
//     credit (StreamGrant), which notifies or wakes the server.
//  5. The server ends the stream with an end frame or an error frame
//     (StreamEnd), which the client receives after the frames before it.
//     Either side may cancel (StreamCancel): the other side's next
//     operation on it fails with ECANCELED, and the frames not received
//     are dropped.
//
// A stream lives while its client or its server holds it: each lets go
// at the end frame, a cancel, or its death. A client's death cancels its
// streams; a server's death ends them with an error frame, ErrServiceDied.
// Ids carry a generation, as endpoints do: a stale id is EBADF.
//
// A server placed in the kernel can serve streams too: it accepts while
// handling the Call (it runs in the client's trap) — or, for a Call it
// queued (NoReply), from another caller's trap while the client is still
// blocked on it — and emits from later handler calls or from its kernel
// thread (notified with NotifyBus).
//
// Costs: every operation is a trap; an emitted frame adds FrameNs (its
// 64-byte copy).

// streams is the kernel's stream table.
type streams struct {
	slots []*stream // index = slot; 0 unused
	gens  []uint32
	free  []uint32
}

// stream is one request/stream.
type stream struct {
	id      ipc.StreamID
	client  *Task    // nil once the client let go
	server  *Task    // nil until accepted, and once the server let go
	ksvc    *service // the server, when it is placed in the kernel
	served  bool     // a server accepted it (and may have let go)
	credits int64
	frames  []ipc.Message
	ended   bool      // the server ended it: the end frame follows frames
	endErr  ipc.Errno // the end frame's errno (0: a clean end)
	cancel  bool      // a side cancelled
}

// streamOf returns the live stream id names, or EBADF.
func (k *Kernel) streamOf(id ipc.StreamID) (*stream, ipc.Errno) {
	slot, gen := uint32(id), uint32(id>>32)
	if slot == 0 || int(slot) >= len(k.streams.slots) || k.streams.gens[slot] != gen || k.streams.slots[slot] == nil {
		return nil, linux.EBADF
	}
	return k.streams.slots[slot], 0
}

// openStream makes a stream with client t and credits frames of credit.
func (k *Kernel) openStream(t *Task, credits int) (ipc.StreamID, ipc.Errno) {
	if credits < 0 || credits > ipc.MaxCredits {
		return 0, ipc.ErrInvalid
	}
	if len(t.streams) >= ipc.MaxStreams {
		return 0, linux.ENOSPC
	}
	st := &k.streams
	if len(st.slots) == 0 {
		st.slots, st.gens = []*stream{nil}, []uint32{0}
	}
	var slot uint32
	if n := len(st.free); n > 0 {
		slot, st.free = st.free[0], st.free[1:]
	} else {
		slot = uint32(len(st.slots))
		st.slots, st.gens = append(st.slots, nil), append(st.gens, 1)
	}
	s := &stream{id: ipc.StreamID(uint64(st.gens[slot])<<32 | uint64(slot)), client: t, credits: int64(credits)}
	st.slots[slot] = s
	t.streams = append(t.streams, s)
	return s.id, 0
}

// letGo lets s go from t's side, and frees s when neither side holds it
// (a server placed in the kernel holds nothing: its streams end when the
// client lets go).
func (k *Kernel) letGo(s *stream, t *Task) {
	t.streams = removeStream(t.streams, s)
	switch t {
	case s.client:
		s.client, s.frames = nil, nil
	case s.server:
		s.server = nil
	}
	slot := uint32(s.id)
	if s.client != nil || s.server != nil || k.streams.slots[slot] != s {
		return
	}
	k.streams.slots[slot] = nil
	k.streams.gens[slot] = max((k.streams.gens[slot]+1)&0x7fffffff, 1)
	k.streams.free = append(k.streams.free, slot)
}

func removeStream(l []*stream, s *stream) []*stream {
	for i, x := range l {
		if x == s {
			return append(l[:i], l[i+1:]...)
		}
	}
	return l
}

// serverSide reports whether t (or in-kernel service ksvc) is s's server.
func (s *stream) serverSide(t *Task, ksvc *service) bool {
	if ksvc != nil {
		return s.ksvc == ksvc
	}
	return s.server == t && t != nil
}

// wakeServer wakes or notifies s's server.
func (k *Kernel) wakeServer(s *stream, now int64) {
	switch {
	case s.server != nil:
		k.busWake(s.server, ipc.NotifyBus, now)
	case s.ksvc != nil && s.ksvc.kthread != nil:
		k.notify(s.ksvc.kthread, ipc.NotifyBus, now)
	}
}

// wakeClient wakes or notifies s's client.
func (k *Kernel) wakeClient(s *stream, now int64) {
	if s.client != nil {
		k.busWake(s.client, ipc.NotifyBus, now)
	}
}

// streamOp runs one stream operation for t (or, with f set, for the
// server placed in the kernel whose handler f runs). wait reports that
// nothing could be done yet and r.Wait asks to block.
func (k *Kernel) streamOp(c *cpu, t *Task, f *kframe, r *ipc.BusRequest) (e ipc.Errno, wait bool) {
	if r.Op == ipc.StreamOpen {
		if f != nil {
			return ipc.ErrNoSys, false
		}
		r.Stream, e = k.openStream(t, r.Credits)
		k.traceStream(c, t.ep, 0, r.Stream, "open, credit "+strconv.Itoa(r.Credits))
		return e, false
	}
	s, e := k.streamOf(r.Stream)
	if e != 0 {
		return e, false
	}
	var ksvc *service
	if f != nil {
		ksvc, t = f.svc, nil
	}
	switch r.Op {
	case ipc.StreamAccept:
		return k.accept(c, s, t, f), false
	case ipc.StreamGrant:
		return k.grant(c, s, t, r.Credits), false
	case ipc.StreamEmit:
		return k.emitFrame(c, s, t, ksvc, r)
	case ipc.StreamEnd:
		return k.endStream(c, s, t, ksvc, r.Errno), false
	case ipc.StreamCancel:
		return k.cancelStream(c, s, t, ksvc), false
	case ipc.StreamRecv:
		return k.recvFrame(c, s, t, r)
	}
	return ipc.ErrInvalid, false
}

// accept makes t (or f's service) the server of s: only while it serves
// a Call from s's client.
func (k *Kernel) accept(c *cpu, s *stream, t *Task, f *kframe) ipc.Errno {
	if s.served || s.client == nil || s.cancel {
		return ipc.ErrPerm
	}
	cl := s.client
	switch {
	case f != nil && (f.caller == cl.ep || cl.state == stateAwaitReply && cl.kwait == f.svc):
		// serving the Call in the client's trap, or one the service
		// queued (NoReply) and serves in another caller's trap
		if e := k.streamThread(f.svc, c.now); e != 0 {
			return e
		}
		s.ksvc = f.svc
	case f == nil && cl.state == stateAwaitReply && cl.blockedOn == t:
		if len(t.streams) >= ipc.MaxStreams {
			return linux.ENOSPC
		}
		s.server = t
		t.streams = append(t.streams, s)
	default:
		return ipc.ErrPerm
	}
	s.served = true
	k.traceStream(c, epOf(t), cl.ep, s.id, "accept")
	return 0
}

// streamThread gives in-kernel service svc its kernel thread, if it has
// none yet and takes bus notifications: the thread runs BusNotified when
// a client grants credit or cancels.
func (k *Kernel) streamThread(svc *service, now int64) ipc.Errno {
	if svc.kthread != nil {
		return 0
	}
	if _, ok := svc.handler.(ipc.BusNotified); !ok {
		return 0 // it emits only while serving requests
	}
	t, e := k.spawn(nil, ipc.TaskSpec{Name: "k:" + svc.name, Body: k.kthreadBody(svc, svc.handler)}, now)
	if e != 0 {
		return e
	}
	svc.kthread, t.kthread = t, true
	return 0
}

// grant gives s's server n more credits (client only).
func (k *Kernel) grant(c *cpu, s *stream, t *Task, n int) ipc.Errno {
	if t == nil || s.client != t {
		return ipc.ErrPerm
	}
	if n <= 0 || n > ipc.MaxCredits {
		return ipc.ErrInvalid
	}
	was := s.credits
	s.credits = min(s.credits+int64(n), ipc.MaxCredits)
	k.traceStream(c, t.ep, epOf(s.server), s.id, "grant "+strconv.Itoa(n))
	if was == 0 {
		k.wakeServer(s, c.now)
	}
	return 0
}

// emitFrame queues r.Msg at s's client, using a credit (server only).
func (k *Kernel) emitFrame(c *cpu, s *stream, t *Task, ksvc *service, r *ipc.BusRequest) (ipc.Errno, bool) {
	if !s.serverSide(t, ksvc) || s.ended {
		return ipc.ErrPerm, false
	}
	if s.cancel || s.client == nil {
		k.serverLetsGo(s, t)
		return linux.ECANCELED, false
	}
	if s.credits == 0 {
		return ipc.ErrNoInstance, r.Wait // EAGAIN
	}
	s.credits--
	c.charge(k.cfg.Profile.FrameNs)
	k.stats.Messages++
	m := r.Msg
	m.Source, m.Service = epOf(t), 0
	s.frames = append(s.frames, m)
	k.traceStream(c, epOf(t), s.client.ep, s.id, "frame")
	if len(s.frames) == 1 {
		k.wakeClient(s, c.now)
	}
	return 0, false
}

// serverLetsGo ends the server's hold on s (nothing to do for a server
// placed in the kernel).
func (k *Kernel) serverLetsGo(s *stream, t *Task) {
	if t != nil && s.server == t {
		k.letGo(s, t)
	}
}

// endStream queues the end frame (errno 0) or an error frame.
func (k *Kernel) endStream(c *cpu, s *stream, t *Task, ksvc *service, e ipc.Errno) ipc.Errno {
	if !s.serverSide(t, ksvc) || s.ended {
		return ipc.ErrPerm
	}
	if s.cancel || s.client == nil {
		k.serverLetsGo(s, t)
		return linux.ECANCELED
	}
	s.ended, s.endErr = true, e
	what := "end"
	if e != 0 {
		what = "error " + linux.ErrnoName(e)
	}
	k.traceStream(c, epOf(t), s.client.ep, s.id, what)
	k.wakeClient(s, c.now)
	k.serverLetsGo(s, t)
	return 0
}

// cancelStream cancels s from either side.
func (k *Kernel) cancelStream(c *cpu, s *stream, t *Task, ksvc *service) ipc.Errno {
	switch {
	case t != nil && s.client == t:
		s.cancel = true
		k.traceStream(c, t.ep, epOf(s.server), s.id, "cancel")
		k.wakeServer(s, c.now)
		k.letGo(s, t)
	case s.serverSide(t, ksvc) && !s.ended:
		s.cancel, s.frames = true, nil
		k.traceStream(c, epOf(t), epOf(s.client), s.id, "cancel")
		k.wakeClient(s, c.now)
		k.serverLetsGo(s, t)
	default:
		return ipc.ErrPerm
	}
	return 0
}

// recvFrame takes s's next frame into r (client only).
func (k *Kernel) recvFrame(c *cpu, s *stream, t *Task, r *ipc.BusRequest) (ipc.Errno, bool) {
	if t == nil || s.client != t {
		return ipc.ErrPerm, false
	}
	r.End, r.Errno = false, 0
	switch {
	case len(s.frames) > 0:
		r.Msg = s.frames[0]
		s.frames[0] = ipc.Message{}
		s.frames = s.frames[1:]
		return 0, false
	case s.ended:
		r.End, r.Errno = true, s.endErr
		k.letGo(s, t)
		return 0, false
	case s.cancel:
		k.letGo(s, t)
		return linux.ECANCELED, false
	}
	return ipc.ErrNoInstance, r.Wait // EAGAIN
}

// streamsExit lets dead t's streams go: a client's are cancelled, a
// server's end with ErrServiceDied.
func (k *Kernel) streamsExit(t *Task, now int64) {
	for len(t.streams) > 0 {
		s := t.streams[0]
		if s.client == t {
			s.cancel = true
			k.letGo(s, t)
			k.wakeServer(s, now)
			continue
		}
		if !s.ended && !s.cancel {
			s.ended, s.endErr = true, ipc.ErrServiceDied
			k.wakeClient(s, now)
		}
		k.letGo(s, t)
	}
}

// epOf is t's endpoint, the kernel's for nil.
func epOf(t *Task) ipc.Endpoint {
	if t == nil {
		return ipc.KernelEndpoint
	}
	return t.ep
}

// traceStream emits a stream event.
func (k *Kernel) traceStream(c *cpu, from, to ipc.Endpoint, id ipc.StreamID, what string) {
	if k.trace != nil {
		k.emit(Event{Kind: EvStream, CPU: c.id, T: c.now, Task: from, Peer: to, Word: uint64(id), Detail: what})
	}
}
