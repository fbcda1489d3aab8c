package gateway

import (
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/rsproto"
)

// Failover. LECTURE: failover
//
// A node that is killed takes its servers with it; callers on the other
// nodes get EAGAIN ("no node exports the service") from then on. A node
// configured with a standby of the service (servers: [{name: echo,
// standby: true}]) and cluster: {failover: true} takes it over: at the
// first call that finds no exporter, its gateway asks rs to start the
// standby here and exports it, so the other nodes reach it too. That
// call still fails with EAGAIN (a client retries, as for a restart); the
// next one is served here — the bus prefers the local instance to the
// gateway's remote one. The new instance starts from its initial state:
// the old one's died with its node (a move, svc move, carries the state
// of a server whose node is still up).
//
// Only "no exporter" starts a standby, never a timeout: a node cut off by
// a partition still runs its servers, and taking them over then would
// leave two instances with two diverging states when it comes back.

// failover starts the standby of service name here, once, if the node
// keeps one.
func (s *Server) failover(ctx *ipc.Ctx, name string) {
	if name == "" || s.tookOver[name] || !slices.Contains(s.opt.Failover, name) {
		return
	}
	rsc, err := rsproto.Dial(ctx.Sys)
	if err != nil {
		return
	}
	if _, err := rsc.Start(name); err != nil {
		return // the next call that finds no exporter tries again
	}
	s.tookOver[name] = true
	s.stats.Failovers++
	_ = s.link.Export(name) // the other nodes reach it through us
}
