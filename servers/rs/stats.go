package rs

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
)

// statsRecords are the Stats reply's records: the bus's metrics of every
// service, as the kernel counts them (the Probe).
func (s *Server) statsRecords() [][]byte {
	var out [][]byte
	for _, si := range s.opt.Probe.Services() {
		st := rsproto.ServiceStats{Name: si.Name, BusMetrics: si.Metrics, Instances: si.PerInstance}
		out = append(out, rsproto.AppendServiceStats(nil, st))
	}
	return out
}

// scaleRequest serves Scale: the named service runs n instances.
func (s *Server) scaleRequest(req *ipc.Message) ipc.Message {
	name, n, err := rsproto.ParseScale(req)
	if err != nil || n < 1 {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	sv := s.byName[name]
	if sv == nil {
		return ipc.ErrorReply(req, s.unmanaged(name))
	}
	before := len(sv.live)
	if e := s.scale(sv, n); e != 0 {
		return ipc.ErrorReply(req, e)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(before))
	rep.SetWord(1, uint64(len(sv.live)))
	return rep
}

// scale sets sv's number of instances to n: it starts the missing ones at
// once, and stops extra ones that are idle (nothing queued or in flight at
// them, by the bus's metrics), newest first, so that no caller sees its
// request fail. An extra instance that is busy stays until a later Scale
// finds it idle. A stopped service only records n.
func (s *Server) scale(sv *service, n int) ipc.Errno {
	sv.Instances = n
	defer s.saveService(sv)
	if sv.stopped {
		return 0
	}
	for len(sv.live)+len(sv.pending) < n {
		if _, err := s.spawn(sv); err != nil {
			return ipc.ErrnoOf(err)
		}
	}
	idle := s.idleInstances(sv.Name)
	for i := len(sv.live) - 1; i >= 0 && len(sv.live) > n; i-- {
		ep := sv.live[i].ep
		if !idle[ep] {
			continue
		}
		sv.live = append(sv.live[:i], sv.live[i+1:]...)
		_ = s.sys.Kill(ep) // it left live first: its death restarts nothing
	}
	return 0
}

// idleInstances returns the instances of the named service that have no
// request queued or in flight.
func (s *Server) idleInstances(name string) map[ipc.Endpoint]bool {
	idle := map[ipc.Endpoint]bool{}
	for _, si := range s.opt.Probe.Services() {
		if si.Name != name {
			continue
		}
		for _, in := range si.PerInstance {
			if in.InFlight == 0 && in.Queue == 0 {
				idle[in.Task] = true
			}
		}
	}
	return idle
}

// announce publishes sv's state on rsproto.TopicState, for whoever
// subscribed (the live views, the autoscaler, a test): fire-and-forget,
// and only when it changed.
func (s *Server) announce(sv *service) {
	m := rsproto.StateMessage(sv.Name, sv.state(), len(sv.live))
	if m == sv.said {
		return // no change
	}
	sv.said = m
	_ = ipc.Publish(s.sys, rsproto.TopicState, &m)
}
