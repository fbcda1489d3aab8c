//go:build !js

package cluster

import "slices"

// Faults across nodes. Each is scheduled at a virtual time in the node's
// own kernel, so a run with faults is as reproducible as one without.

// Kill stops node name at virtual time atNs, as a machine that dies: its
// kernel stops, its subscriptions go (once nothing is in flight, in the
// next Settle), and the other nodes stop choosing it. Calls it was
// serving time out at their callers' gateways (ETIMEDOUT); later calls of
// a service only it exported find no responder (EAGAIN).
func (c *Cluster) Kill(name string, atNs int64) bool {
	n := c.Node(name)
	if n == nil {
		return false
	}
	b := n.b
	b.k.Schedule(atNs, func(int64) {
		b.down = true
		b.k.Stop()
		c.w.kills = append(c.w.kills, b)
	})
	return true
}

// Partition cuts node name off the wire from virtual time fromNs to
// untilNs (0: for good): what it sends and what is sent to it is lost.
func (c *Cluster) Partition(name string, fromNs, untilNs int64) bool {
	n := c.Node(name)
	if n == nil {
		return false
	}
	b := n.b
	b.k.Schedule(fromNs, func(int64) { b.partitioned = true })
	if untilNs > fromNs {
		b.k.Schedule(untilNs, func(int64) { b.partitioned = false })
	}
	return true
}

// Slow adds extraNs of latency to every frame node name receives from
// virtual time fromNs on: a slow link.
func (c *Cluster) Slow(name string, fromNs, extraNs int64) bool {
	n := c.Node(name)
	if n == nil {
		return false
	}
	b := n.b
	b.k.Schedule(fromNs, func(int64) { b.slowNs = extraNs })
	return true
}

// bury finishes the kills: between turns, with nothing in flight, the
// dead nodes' subscriptions go and they are no one's exporter any more.
func (s *source) bury(exporters map[string][]string) {
	for _, b := range s.w.kills {
		b.unsubscribe()
		for svc, nodes := range exporters {
			exporters[svc] = slices.DeleteFunc(nodes, func(n string) bool { return n == b.node })
		}
	}
	s.w.kills = nil
}
