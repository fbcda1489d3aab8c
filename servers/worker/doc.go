// Package worker is the worker server: a stateless compute service. Each
// Work request burns the virtual CPU it asks for, so an instance serves
// one request at a time and a queue builds under load: the service an
// autoscaler (servers/autoscale) adds instances to.
//
// Imports: ipc, ipc/workerproto, ipc/linux.
package worker
