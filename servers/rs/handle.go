package rs

import (
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
)

// Handle serves one rsproto request.
func (s *Server) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	rep := ipc.ErrorReply(req, linux.ENOSYS)
	switch req.Type {
	case rsproto.List:
		rep = s.page(ctx, req, s.statusRecords())
	case rsproto.Log:
		rep = s.page(ctx, req, s.logRecords())
	case rsproto.Restart, rsproto.Stop, rsproto.Start, rsproto.Replace, rsproto.Update:
		if e := s.mayControl(ctx); e != 0 {
			rep = ipc.ErrorReply(req, e)
			break
		}
		rep = s.control(ctx, req)
	case rsproto.Inject:
		rep = s.inject(ctx, req)
	}
	s.rearm()
	return rep
}

// page copies the records from index W0 on into the caller's receive
// window of W1 bytes, as many whole ones as fit.
func (s *Server) page(ctx *ipc.Ctx, req *ipc.Message, recs [][]byte) ipc.Message {
	first, window := req.Word(0), min(req.Word(1), ipc.MaxBulk)
	var b []byte
	n := 0
	for i := first; i < uint64(len(recs)) && len(b)+len(recs[i]) <= int(window); i++ {
		b = append(b, recs[i]...)
		n++
	}
	if _, err := ctx.CopyOut(0, b); err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(n))
	rep.SetWord(1, uint64(len(b)))
	rep.SetWord(2, uint64(len(recs)))
	return rep
}

func (s *Server) logRecords() [][]byte {
	out := make([][]byte, len(s.log))
	for i, e := range s.log {
		out[i] = rsproto.AppendLogEntry(nil, e)
	}
	return out
}

func (s *Server) statusRecords() [][]byte {
	var out [][]byte
	for _, si := range s.opt.Probe.Services() {
		out = append(out, rsproto.AppendStatus(nil, s.status(si)))
	}
	return out
}

// status is one line of the List reply.
func (s *Server) status(si ServiceInfo) rsproto.Status {
	now := s.sys.Now()
	st := rsproto.Status{Name: si.Name, Requests: si.Requests, Errors: si.Errors, Instances: si.Instances, Want: len(si.Instances), State: rsproto.Up,
		Priv: si.Priv, Callers: strings.Join(si.Callers, ","), Placement: si.Placement, HostPID: si.HostPID}
	sv := s.byName[si.Name]
	switch {
	case si.InKernel:
		st.State = rsproto.Kernel
	case si.Name == rsproto.Name:
		st.Impl, st.Want, st.Instances = rsproto.Name, 1, []ipc.Endpoint{s.self}
		st.Restarts, st.UptimeNs = s.rsRestarts, now-s.bornNs
	case sv != nil:
		st.Impl, st.Want, st.Restarts, st.Cause, st.State = sv.impl, sv.Instances, sv.restarts, sv.cause, sv.state()
		if st.Priv == "" && sv.Priv != nil {
			st.Priv = sv.Priv.String()
		}
		st.Instances = nil
		var started int64
		for _, in := range sv.live {
			st.Instances = append(st.Instances, in.ep)
			started = max(started, in.startNs)
		}
		if len(sv.live) > 0 {
			st.UptimeNs = now - started
		}
	case len(si.Instances) == 0:
		st.State = rsproto.Down
	}
	return st
}

// state is what List says of sv.
func (sv *service) state() rsproto.State {
	switch {
	case sv.stopped:
		return rsproto.Stopped
	case len(sv.live) >= sv.Instances:
		return rsproto.Up
	case len(sv.pending) > 0 && sv.pending[len(sv.pending)-1].hung:
		return rsproto.Hung
	case len(sv.pending) > 0:
		return rsproto.Restarting
	}
	return rsproto.Down
}

// control serves Restart, Stop, Start and Replace.
func (s *Server) control(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	name, impl, err := rsproto.ParseName(req)
	if err != nil {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	if name == rsproto.Name {
		return s.controlSelf(ctx, req)
	}
	sv := s.byName[name]
	if sv == nil {
		return ipc.ErrorReply(req, s.unmanaged(name))
	}
	by := " requested by " + ctx.Caller.String()
	var old, new ipc.Endpoint
	var e ipc.Errno
	switch req.Type {
	case rsproto.Restart:
		old, new, e = s.respawn(sv, "restart"+by)
	case rsproto.Stop:
		s.stop(sv, "stop"+by)
	case rsproto.Start:
		new, e = s.start(sv)
	case rsproto.Replace:
		old, new, e = s.replace(sv, impl, by)
	case rsproto.Update:
		return s.updateReply(req, sv, impl, by)
	}
	if e != 0 {
		return ipc.ErrorReply(req, e)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(old))
	rep.SetWord(1, uint64(new))
	return rep
}

// updateReply serves Update.
func (s *Server) updateReply(req *ipc.Message, sv *service, impl, by string) ipc.Message {
	r, e := s.update(sv, impl, by)
	if e != 0 {
		return ipc.ErrorReply(req, e)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(r.Old))
	rep.SetWord(1, uint64(r.New))
	rep.SetWord(2, uint64(r.How))
	rep.SetWord(3, uint64(uint32(r.Version)))
	rep.SetWord(4, uint64(r.Bytes))
	return rep
}

// unmanaged is the error for a request about a service rs does not
// manage: EPERM for one placed in the kernel, ENOENT otherwise.
func (s *Server) unmanaged(name string) ipc.Errno {
	for _, si := range s.opt.Probe.Services() {
		if si.Name == name && si.InKernel {
			return linux.EPERM
		}
	}
	return linux.ENOENT
}

// controlSelf serves a request about rs itself: Restart answers and then
// exits, and the kernel starts a new rs; nothing else is allowed.
func (s *Server) controlSelf(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if req.Type != rsproto.Restart {
		return ipc.ErrorReply(req, linux.EPERM)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(s.self))
	_ = s.sys.Reply(ctx.Caller, &rep)
	s.sys.Exit(0)
	return rep
}

// kill kills sv's live instances on purpose: they leave live first, so
// their death notices restart nothing. It returns the first one.
func (s *Server) kill(sv *service) []instance {
	killed := sv.live
	sv.live, sv.pending = nil, nil
	for _, in := range killed {
		_ = s.sys.Kill(in.ep)
	}
	return killed
}

// respawn kills sv's instances and starts new ones at once, logging each
// with cause.
func (s *Server) respawn(sv *service, cause string) (old, new ipc.Endpoint, e ipc.Errno) {
	waiting := sv.pending
	var olds []ipc.Endpoint // what the new instances replace: the live ones, then the dead ones waiting
	for _, in := range s.kill(sv) {
		olds = append(olds, in.ep)
	}
	for _, p := range waiting {
		olds = append(olds, p.old)
	}
	sv.stopped, sv.streak, sv.cause = false, 0, cause
	now := s.sys.Now()
	for i := 0; i < sv.Instances; i++ {
		p := pending{diedNs: now, cause: cause}
		if i < len(olds) {
			p.old = olds[i]
		}
		ep := s.restart(sv, p)
		if ep == 0 {
			e = linux.EAGAIN
		}
		if i == 0 {
			old, new = p.old, ep
		}
	}
	s.saveService(sv)
	return old, new, e
}

// stop kills sv's instances and marks it stopped.
func (s *Server) stop(sv *service, cause string) {
	s.kill(sv)
	sv.stopped, sv.streak, sv.cause = true, 0, cause
	s.saveService(sv)
}

// start starts the missing instances of a stopped or down service.
func (s *Server) start(sv *service) (ipc.Endpoint, ipc.Errno) {
	if !sv.stopped && len(sv.live) >= sv.Instances {
		return 0, linux.EALREADY
	}
	sv.stopped, sv.pending = false, nil
	var first ipc.Endpoint
	for len(sv.live) < sv.Instances {
		ep, err := s.spawn(sv)
		if err != nil {
			return first, ipc.ErrnoOf(err)
		}
		if first == 0 {
			first = ep
		}
	}
	s.saveService(sv)
	return first, 0
}

// replace makes sv run implementation impl, restarting it unless it is
// stopped.
func (s *Server) replace(sv *service, impl, by string) (old, new ipc.Endpoint, e ipc.Errno) {
	want, ok := s.opt.Impls[impl]
	if !ok {
		return 0, 0, linux.ENOENT
	}
	if want.Protocol != s.protocol(sv) {
		return 0, 0, linux.EINVAL
	}
	sv.impl = impl
	if sv.stopped {
		s.saveService(sv)
		return 0, 0, 0
	}
	return s.respawn(sv, "replaced by "+impl+by)
}

// protocol is the protocol sv speaks: its implementation's.
func (s *Server) protocol(sv *service) string {
	if impl, ok := s.opt.Impls[sv.impl]; ok {
		return impl.Protocol
	}
	return sv.Name
}
