// Package streamproto is the protocol of byte-stream services: the
// console (tty), pipes, the memory devices (/dev/null, /dev/zero,
// /dev/random), and sockets (the net server answers it on its handles).
// A stream service hands out handles; reads block until data (or end of
// file) is there, writes block while a pipe is full; Ready says, without
// waiting, what a handle is ready for (poll), and, armed (poll.go), has
// the service post PollBit when it becomes ready; Pollers is the
// bounded table of armed requests a service keeps. The user library makes any
// stream look like a file. It imports ipc and ipc/linux only.
//
// Requests carry the handle in Word(0). Data travels through the bulk
// windows: a read fills the caller's receive window, a write drains its
// send window. A read returns 0 bytes at end of file.
//
// # Replies the stubs do not believe
//
// Errnos (errnos.go) is the set of errnos the protocol documents. The
// client stubs check every reply: an errno outside Errnos and
// ipc.CallErrnos, or a count or length past the buffer it describes, is
// garbage, and the stub returns ipc.ErrBadReply (EIO) instead of
// believing it; a stub never panics on a reply.
//
// holders.go is the index of who holds which handle, shared by the
// stream services that close what a dead task held (pipe, net).
package streamproto
