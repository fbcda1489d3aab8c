// Package rsproto is the protocol of the reincarnation server (rs): the
// requests `svc` makes to list, restart, stop, start, replace and update services
// and to read the restart log, the records its replies carry, and the
// typed client (Client). It imports ipc only.
//
// # Requests
//
// Restart, Stop and Start name a service inline: the payload holds the
// name (Len bytes). Replace holds the service's name, a NUL, and the name
// of the implementation to run instead; Update the same, or the service's
// name alone to update to the implementation it runs (rebuilt code). List and Log page through records
// written into the caller's receive window: W0 is the index of the first
// record wanted, W1 the window's length; the reply says in W0 how many
// records it wrote, in W1 how many bytes they take, and in W2 how many
// records there are in all.
//
// # Errors
//
// ENOENT: no such service or implementation. EPERM: the service is placed
// in the kernel (nothing to restart: its crash is a kernel panic), or it
// is rs itself and the request would stop it. EALREADY: Start of a
// service that is running. EINVAL: a malformed request, or an
// implementation that serves another protocol. ETIMEDOUT: a new instance
// did not come up in time. EAGAIN: Update of a service with no live
// instance, or one already being updated. A rolled-back Update is no
// error: its reply says RolledBack.
//
// # Replies the stubs do not believe
//
// Errnos (errnos.go) is the set of errnos the protocol documents. The
// client stubs check every reply: an errno outside Errnos and
// ipc.CallErrnos, or a count or length past the buffer it describes, is
// garbage, and the stub returns ipc.ErrBadReply (EIO) instead of
// believing it; a stub never panics on a reply.
//
// Imports: ipc only; servers and programs import it, never the other way.
package rsproto
