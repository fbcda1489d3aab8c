// Package autoscale is the autoscaler: a user-space server, replaceable
// like any other, that keeps each scalable service's number of instances
// fitted to its load. Every period it reads the bus's metrics through rs
// (rsproto.Stats: the numbers svc stats shows) and asks rs to start or
// stop instances (rsproto.Scale); it never touches the kernel itself.
//
// The policy (policy.go) has a target per service — requests in flight
// per instance (the larger of now and the mean over the bus's window), or
// p99 latency over the window, or both — and
// hysteresis: a service must be over its target for UpAfter periods in a
// row to gain instances (as many as the load asks for, up to Max), and
// under half of it for DownAfter periods to lose one (down to Min). rs
// stops only idle instances, so scaling down fails no request.
//
// Only stateless services are scalable (echo, null, worker): a request
// may reach any instance.
//
// Imports: ipc, ipc/linux, ipc/rsproto, ipc/autoscaleproto.
package autoscale
