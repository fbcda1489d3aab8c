// Package cluster runs several mkos nodes — each a boot.System with its
// own kernel, engine and servers — as one service namespace over NATS
// (docs/cluster.md).
//
// A node's gateway server (servers/gateway) reaches the wire through the
// node's bridge (bridge.go), a gatewayproto.Link: the NATS connection is
// host-side state the node owns, as a ds store is. The bridge publishes
// without waiting; what NATS delivers, its subscription callbacks only
// append to a locked inbox. The cluster's source (source.go), which the
// kernel.Group settles between turns while no kernel runs, waits until
// every frame published so far has arrived, orders them by (virtual send
// time, node, sequence) and posts each into its node's kernel at send
// time + the hop latency. So `mkos run --nodes N` in one process, over an
// embedded in-process NATS server (nats.go), gives the same run for the
// same seed. A node in a process of its own (`mkos node`, Join) hears
// frames when they arrive: it is not reproducible.
//
// NATS does not build for js/wasm: there every entry point says so
// (stub_js.go).
//
// Imports: boot, kernel, ipc, ipc/gatewayproto; github.com/nats-io/nats.go
// and github.com/nats-io/nats-server/v2.
package cluster
