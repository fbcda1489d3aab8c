// Package nullproto is the protocol of the null service, whose one request
// does nothing: the null system call that measures the cost of a crossing.
// It imports ipc only.
//
// # Replies the stubs do not believe
//
// Errnos (errnos.go) is the set of errnos the protocol documents. The
// client stubs check every reply: an errno outside Errnos and
// ipc.CallErrnos, or a count or length past the buffer it describes, is
// garbage, and the stub returns ipc.ErrBadReply (EIO) instead of
// believing it; a stub never panics on a reply.
package nullproto
