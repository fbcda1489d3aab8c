// Package servers is the parent of the system servers: one package each
// (echo, null, pm, fs, mm, rs, ds, pipe, the pipe server, net, the
// network stack's server, and gateway, which bridges a cluster node's
// bus and the wire). A server is an ipc.Server — a
// message handler that never knows whether it runs in its own task or inside
// the kernel. A server that keeps state per client implements
// ipc.ExitWatcher too (fs, mm, ds, pipe, net), and frees that state when the
// kernel says a client died.
//
// Imports: a server imports ipc and protocol packages under ipc; never the
// kernel, never another server, never a driver (net also hosts
// internal/netstack).
package servers
