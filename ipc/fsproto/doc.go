// Package fsproto is the protocol of the file server: its request types,
// the layout of each request and reply, the Attr and DirEntry records that
// travel through the bulk windows, and the typed client stubs (Client) that
// user programs and tools call. It imports ipc only.
//
// # Conventions
//
// Paths never travel inline: they are longer than the 48-byte payload. A
// request that names a path puts its length in a payload word and its bytes
// in the caller's bulk send window; a request with two paths (rename, link,
// symlink) sends them back to back and gives both lengths. File data moves
// through the send window (write) or the receive window (read), at most
// ipc.MaxBulk bytes per request; the stubs split larger transfers.
//
// Every failure is a Linux errno in the reply's Errno: EACCES (the file's
// mode refuses the caller), EPERM (only the owner or root may do that),
// ENOENT, EEXIST,
// ENOTDIR, EISDIR, ENOTEMPTY, EBADF, ENOSPC, ENAMETOOLONG, EINVAL, ELOOP,
// EMLINK, EFBIG, EMFILE, ESTALE (a descriptor from before a restart of the
// file server), EUCLEAN (the file system on the disk is corrupt and was
// not mounted), EIO (the disk failed). A field no correct client sends is
// EINVAL: a count above ipc.MaxBulk, open flags past 32 bits, a mode past
// 0o7777. The full set is Errnos.
//
// # Streams
//
// Two requests answer with a request/stream (ipc.Stream, stream.go)
// instead of one reply: ReadDirStream sends a whole directory as frames
// of packed DirEntry records, the client granting credit as it takes them
// (ReadDirStreamed), and Follow tells the size of an open file each time
// it changes (Follower, for tail -f). Neither holds the server: it emits
// only what the credit allows and goes on serving.
//
// # Who asks
//
// No request carries the caller's uid: the file server reads the caller's
// credentials from the kernel (ipc.Sys.Cred), where no program can write
// them. Access's "as uid" form is the one exception, and only root may use
// it.
//
// # Descriptors
//
// A descriptor (FD) is per process: the server keys its tables by the
// caller's endpoint. Its low 32 bits are the small number a user sees (3,
// 4, …); its high 32 bits are the epoch of the file server instance that
// opened it, so that a descriptor kept across a restart of the server
// fails with ESTALE instead of naming someone else's file.
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
package fsproto
