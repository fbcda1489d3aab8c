package cluster

import (
	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/kernel"
)

// Options say how to run a cluster.
type Options struct {
	// Nodes is the number of nodes (0: one per entry of nodes:, at least
	// one).
	Nodes int
	// NATS is the URL of a NATS server to use; "" starts an embedded one
	// in this process (the default: nothing to install).
	NATS string
	// Tracer, when set, gives each node's kernel its tracer.
	Tracer func(node string) kernel.Tracer
	// ExitWhenIdle ends a joined node's run (Join) once it has nothing
	// to do and no call on the wire, instead of serving the others
	// until stopped.
	ExitWhenIdle bool
}

// Node is one node of a cluster: its system and its end of the wire.
type Node struct {
	Name   string
	System *boot.System
	b      *bridge
}
