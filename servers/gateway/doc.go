// Package gateway is the gateway server: on each node of a cluster it
// bridges the local bus and the wire (NATS, through the node's
// gatewayproto.Link). See docs/cluster.md.
//
// Outbound (outbound.go): it registers every service that runs on other
// nodes as a remote instance (ipc.RemoteName, KRemote), so the kernel
// routes a call of such a service to it like to any instance; it copies
// the caller's send window in, publishes a Request frame, parks the
// caller (NoReply), and answers it when the Reply frame comes back —
// copying the receive window out — or fails it with ETIMEDOUT (no answer
// in its timeout), EAGAIN (no node exports the service) or the errno the
// remote side reported.
//
// Inbound (inbound.go): a Request frame delivered into its kernel
// (NotifyFrames) is called on the local service as the gateway itself,
// with the frame's windows, and the reply published to the request's
// inbox.
//
// It never blocks on the host: the node's Link publishes without waiting
// and delivers frames as notifications, so a run of several nodes in one
// process stays deterministic.
//
// Move (move.go): svc move NAME NODE asks the gateway to move a local
// server to another node with its state, as a live update does.
//
// Failover (failover.go): with cluster: {failover: true}, a node that
// keeps a standby of an imported service starts it when no node exports
// the service any more.
//
// Imports: ipc, ipc/gatewayproto, ipc/linux, ipc/rsproto.
package gateway
