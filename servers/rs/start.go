package rs

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/rsproto"
)

// Start-up: a fresh start at boot, or a rebuild after the kernel
// restarted rs. MINIX servers have the same split (SEF's fresh and
// restart initialisation).

// isRestart reports whether an earlier rs ran: a notice of its death is
// queued, or a managed service has instances on the bus that boot did
// not spawn.
func (s *Server) isRestart(deaths []ipc.Death) bool {
	for _, d := range deaths {
		if d.Name == rsproto.Name && d.Task != s.self {
			return true
		}
	}
	image := map[ipc.Endpoint]bool{}
	for _, in := range s.opt.Image {
		image[in.Task] = true
	}
	for _, si := range s.opt.Probe.Services() {
		if s.byName[si.Name] == nil {
			continue
		}
		for _, ep := range si.Instances {
			if !image[ep] {
				return true
			}
		}
	}
	return false
}

// fresh adopts the boot image, then starts the other services in
// dependency order.
func (s *Server) fresh(deaths []ipc.Death) {
	booted := map[*service]bool{}
	for _, in := range s.opt.Image {
		if sv := s.byName[in.Service]; sv != nil {
			sv.live = append(sv.live, instance{ep: in.Task})
			booted[sv] = true
		}
	}
	for _, d := range deaths {
		s.died(d)
	}
	for _, sv := range s.svcs {
		if booted[sv] || sv.stopped {
			continue
		}
		s.awaitDeps(sv)
		for len(sv.live) < sv.Instances {
			if _, err := s.spawn(sv); err != nil {
				sv.cause = "spawn: " + err.Error()
				break
			}
		}
	}
}

// awaitDeps waits until every live instance of the services sv depends
// on answers a ping (or fails to in time): they have registered and are
// serving. A dependency with no live instance is not waited for; the bus
// holds sv's requests to it until it comes back.
func (s *Server) awaitDeps(sv *service) {
	for _, name := range sv.DependsOn {
		dep := s.byName[name]
		if dep == nil {
			continue
		}
		for _, in := range append([]instance(nil), dep.live...) {
			_ = s.pingOne(in.ep)
		}
	}
}

// rebuild makes a restarted rs's view: the instances from the bus, what
// the data store kept, and the deaths rs missed.
func (s *Server) rebuild(deaths []ipc.Death) {
	now := s.sys.Now()
	for _, si := range s.opt.Probe.Services() {
		if sv := s.byName[si.Name]; sv != nil {
			for _, ep := range si.Instances {
				sv.live = append(sv.live, instance{ep: ep, startNs: now})
			}
		}
	}
	s.load()
	missed := map[string][]ipc.Death{}
	for _, d := range deaths {
		if sv, _ := s.instanceOf(d.Task); sv != nil {
			continue // still alive: the notice is of another task
		}
		if d.Name == rsproto.Name && d.Task != s.self {
			s.record(rsproto.LogEntry{TimeNs: now, DiedNs: d.TimeNs, Service: rsproto.Name, Old: d.Task, New: s.self, Cause: d.Cause})
			continue
		}
		missed[d.Name] = append(missed[d.Name], d)
	}
	for _, sv := range s.svcs {
		if sv.stopped {
			continue
		}
		for i := len(sv.live) + len(sv.pending); i < sv.Instances; i++ {
			d := ipc.Death{TimeNs: now, Cause: "found dead when rs restarted"}
			if ds := missed[sv.Name]; len(ds) > 0 {
				d, missed[sv.Name] = ds[0], ds[1:]
			}
			s.fail(sv, instance{ep: d.Task, startNs: d.TimeNs}, d.TimeNs, d.Cause, false)
		}
	}
}

// spawn starts one instance of sv with its current implementation.
func (s *Server) spawn(sv *service) (ipc.Endpoint, error) {
	impl, ok := s.opt.Impls[sv.impl]
	if !ok {
		return 0, ipc.ErrNoService
	}
	ep, err := s.sys.Spawn(Spec(sv.Service, impl))
	if err != nil {
		return 0, err
	}
	sv.live = append(sv.live, instance{ep: ep, startNs: s.sys.Now()})
	return ep, nil
}
