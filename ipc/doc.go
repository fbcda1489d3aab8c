// Package ipc holds what the kernel, the servers and user programs agree on:
// the fixed-size Message, task Endpoints and service ids, the errno values the
// kernel answers with, the system-call surface a task body sees (Sys), and the
// Server interface with the receive–handle–reply loop that runs a server as a
// task (Serve), the ExitWatcher a server implements to free what a dead
// client held (exits.go), Fault, the panic value with which a task body ends
// with a death cause of its own (a server process's proxy says how it died),
// the checks every client stub makes of a reply (reply.go: a protocol's
// documented Errnos, ReplyErr, Count), and a live update's state transfer
// (update.go: Stateful, StateGet and StatePut, which Serve answers, and the
// steps of Sys.Update; docs/liveupdate.md).
//
// names.go is the registry of message-type names: each protocol package
// registers its requests' names (RegisterNames) and traces ask TypeName.
//
// Nothing in ipc knows how a message travels. The kernel implements Sys; a
// server implements Server and never learns whether it runs as its own task
// (micro), inside the caller's trap (mono), in a host process behind a
// proxy task (process placement), or any of these (hybrid).
//
// Imports: the standard library and ipc/linux (the Linux ABI: errno values)
// only. Everything else in mkos may import ipc; ipc imports nothing else of
// ours.
package ipc
