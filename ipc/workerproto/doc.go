// Package workerproto is the protocol of the worker service, a stateless
// compute service: each request burns the virtual CPU it asks for and
// answers. It is what an autoscaler scales in the ramp benchmark. It
// imports ipc and ipc/linux only.
package workerproto
