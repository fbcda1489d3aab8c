package kernel

import "github.com/mkos/mkos/ipc"

// Remote instances. LECTURE: remote-routing
//
// A node's gateway (servers/gateway) reaches services that run on other
// nodes. It registers each such name as a REMOTE instance
// (Register(ipc.RemoteName(name)), which needs KRemote): the bus then
// routes a request to it like to any instance, and the gateway carries the
// request over the wire. The routing rule (Config.Route) decides between
// a service's local instances and its remote ones:
//
//  1. local-first (the default): a local instance when there is one, else
//     a remote one — a server restarted or moved back here wins at once;
//  2. remote-first: a remote instance when there is one, else a local one;
//  3. local-only: never a remote one.
//
// A task that is itself a remote instance (a gateway) is never routed to a
// remote instance: the gateway's call on behalf of another node must reach
// a local one, or it would go round the wire forever. Clients see the same
// errors either way: the gateway answers with the callee's errno, or with
// ETIMEDOUT, ECONNRESET or EAGAIN when the wire fails.

// registerRemote makes t a remote instance of the named service and hands
// it the requests that were waiting for one.
func (k *Kernel) registerRemote(t *Task, name string, now int64) (ipc.ServiceID, ipc.Errno) {
	s, e := k.bus.lookupName(name, true)
	if e != 0 {
		return 0, e
	}
	if s.handler != nil {
		return 0, ipc.ErrPerm // placed in the kernel: always served here
	}
	for _, x := range t.remotes {
		if x == s {
			return s.id, 0
		}
	}
	s.remotes = append(s.remotes, t)
	t.remotes = append(t.remotes, s)
	if k.trace != nil {
		k.emit(Event{Kind: EvRegister, T: now, Task: t.ep, Peer: ipc.ServiceEndpoint(s.id), Svc: s.name, Detail: "remote"})
	}
	k.flush(s, now)
	return s.id, 0
}

// unregisterRemote removes dead t from the services it was a remote
// instance of.
func (k *Kernel) unregisterRemote(t *Task) {
	for _, s := range t.remotes {
		for i, x := range s.remotes {
			if x == t {
				s.remotes = append(s.remotes[:i], s.remotes[i+1:]...)
				break
			}
		}
		if s.rrRemote >= len(s.remotes) {
			s.rrRemote = 0
		}
	}
	t.remotes = nil
}

// mayRemote reports whether the routing rule lets caller t's request go
// to a remote instance of s.
func (k *Kernel) mayRemote(t *Task) bool {
	return k.cfg.Route != ipc.RouteLocalOnly && len(t.remotes) == 0
}

// pickFor returns the instance of s that takes t's next request, local or
// remote by the routing rule, or nil when none may.
func (k *Kernel) pickFor(s *service, t *Task) *Task {
	if s.hold.held {
		return nil
	}
	if len(s.remotes) == 0 || !k.mayRemote(t) {
		return s.pick()
	}
	if k.cfg.Route == ipc.RouteRemoteFirst || len(s.instances) == 0 {
		return pickOf(s.remotes, &s.rrRemote)
	}
	return s.pick()
}

// servable reports whether an instance of s may take t's request now.
func (k *Kernel) servable(s *service, t *Task) bool {
	if s.hold.held {
		return false
	}
	return len(s.instances) > 0 || len(s.remotes) > 0 && k.mayRemote(t)
}
