// Package diskproto is the protocol of the disk driver service: block
// reads and writes through the caller's bulk window, a flush barrier, and
// the device's geometry. The file server (and swap) reach the disk only
// through these stubs. It imports ipc only.
//
// Blocks are BlockSize bytes (4 KiB unless Info says otherwise). A request
// moves at most ipc.MaxBulk bytes: 16 blocks of 4 KiB.
//
// Errors: a count of 0 or above ipc.MaxBulk/BlockSize is EINVAL; blocks
// past the end of the disk are ENOSPC for a write and EINVAL for a read; a
// bulk window smaller than the request is EFAULT; a device failure (e.g.
// the power was cut) is EIO; a request type the driver does not know is
// ENOSYS; a full driver queue is EBUSY.
//
// Restarts: the driver can crash and be restarted while it holds requests.
// The kernel then fails their calls with ipc.ErrServiceDied (ECONNRESET),
// and the Client makes a Read, Write, Flush or Info again, up to Retries
// times, on the new instance: they are idempotent — a read reads the same
// blocks, a write writes the same data to the same blocks — so a restart
// costs the caller time, not an error, and no request is dropped silently.
// A write that failed this way may or may not have reached the medium
// before the retry; with two writers to one block, a retried write can land
// after the other writer's (the file server is the disk's only writer).
// Stats is not retried: a new instance's counters start from zero.
//
// # Replies the stubs do not believe
//
// Errnos (errnos.go) is the set of errnos the protocol documents. The
// client stubs check every reply: an errno outside Errnos and
// ipc.CallErrnos, or a count or length past the buffer it describes, is
// garbage, and the stub returns ipc.ErrBadReply (EIO) instead of
// believing it; a stub never panics on a reply.
package diskproto
