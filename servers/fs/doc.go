// Package fs is the file server: a journaling Unix file system on a block
// device, served over IPC. Read it bottom up, one layer per file, as xv6's
// file system:
//
//	blocks       bcache.go     a block cache over the device (bdev.BlockDev)
//	log          log.go        transactions: a write-ahead journal, group commit
//	inodes       inode.go      the inode table; alloc.go: bitmaps;
//	             bmap.go       direct, indirect and double-indirect blocks;
//	             rw.go         reading and writing an inode's bytes
//	directories  dir.go        directories as files of 64-byte entries
//	names        path.go       path resolution from "/", symbolic links
//	descriptors  fdtable.go    per-process open files; exit.go: the
//	                           descriptors of processes that die
//	permissions  perm.go       who may do what: modes, owners, sticky bit
//	operations   ops_*.go      the system calls, one function each (FS)
//	server       server.go     the IPC face: mount on first request, a
//	             handlers*.go  queue for re-entry, one handler per request;
//	             state.go      what moves to the next instance in a live
//	                           update: descriptors, offsets, the cache;
//	             stream.go     request/streams: a directory read as a
//	                           stream, a file followed as it grows
//
// The on-disk format lives in servers/fs/layout, the checker in
// servers/fs/fsck, the block devices in servers/fs/bdev, and the
// protocol in ipc/fsproto.
//
// # Crash consistency
//
// Every operation — file data included — runs as part of a transaction
// in the journal, and happens completely or not at all: an operation
// that fails midway (ENOSPC in the middle of a rename) is undone in
// memory too. Transactions are committed in groups: when fsync or sync
// asks, or when the log would not hold the next operation. A commit
// writes the blocks to the log, then the header that lists them (the
// commit point), then the blocks to their homes, then an empty header,
// with a flush (diskproto Flush) after each step. Mount replays a
// committed transaction it finds. So after any crash the file system is
// as it was at the last commit point: consistent, and holding everything
// an fsync or sync acknowledged. (A write larger than 64 KiB is several
// operations; a commit the full log forces between them can keep part of
// it, as POSIX allows for a crash during write.)
//
// # What survives a restart of the server
//
// A restarted file server (a new task, after a crash of the old one)
// mounts the disk again on its first request: it replays the journal,
// checks the whole file system (as fsck does; a corrupt one is not
// mounted and every request fails with EUCLEAN), frees the orphans a crash
// leaves (files unlinked while still open), and counts one more mount.
//
//   - Recovered: everything on the disk up to the last commit point —
//     names, contents, attributes — so everything fsync or sync
//     acknowledged.
//   - Lost: operations since the last commit point (never acknowledged as
//     durable), and every open file descriptor. The descriptor tables lived
//     in the old server's memory only.
//   - Reported: a descriptor from before the restart fails with ESTALE
//     (every descriptor carries the mount count, the server's epoch, in
//     its high 32 bits; fsproto.FD), so it can never name a file someone
//     opened since. The process opens the file again (user/ulib does it
//     by itself, at the offset it tracked).
//   - With Options.Durable (fs.NewDurable, what boot runs) every reply
//     follows a commit, so "since the last commit point" is empty:
//     nothing a program was told succeeded is lost.
//
// A disk error (EIO from the driver, after the driver's own retries)
// stops the mounted file system the same way: the failing request gets
// EIO, and the next request mounts again from the disk.
//
// # Placement
//
// The server code is the same in every placement; it reaches the disk
// only through ctx.Sys. In the kernel (mono, hybrid) a second caller can
// enter Handle while the first waits for a disk in user space or for a
// disk interrupt; Server queues it (ipc.NoReply) and serves it in the
// first caller's trap right after, so the file system is never entered
// twice at once. In user space there is one instance: two instances over
// one disk would corrupt it.
//
// # Permissions
//
// Every inode has an owner and a group (uid, gid: zero, root, on disks
// made before they were kept) and Unix permission bits, set-id and sticky
// bits included. Each request acts for its caller's credentials, which the
// server reads from the kernel (ipc.Sys.Cred of ctx.Caller: the sender in
// user space, the trapping task in the kernel) at most once per request
// and only when the request checks something — never from a word of the
// request. perm.go has the rules: search permission on each directory of
// a path, r/w on open as the flags ask, w+x on a directory to add or
// remove a name, r to list it, the sticky bit (/tmp) for removal and
// rename, owner-or-root for chmod, root for giving a file away (EACCES by
// mode, EPERM by ownership). A new file belongs to its creator's uid and
// gid. Access answers access(2), and for pm "may this uid execute this
// file" — a question only root may ask for someone else.
//
// Not enforced: supplementary groups (a process has one group), set-group-ID
// directories (a new file takes its creator's group), access times (set at
// creation only).
//
// # Clients that die
//
// The server watches exits (ipc.ExitWatcher, exit.go): when the kernel
// says a task died — killed, crashed, or returned without the Release its
// library sends at exit — the server closes its descriptors, and a file it
// held open after unlinking it is freed with its blocks, in a journaled
// transaction like any operation. Options.MaxOpen bounds all descriptors
// together (ENFILE).
//
// # Live update
//
// The server is ipc.Stateful (state.go): `svc update fs` commits, hands
// the next instance every process's descriptors and offsets and the
// cache's blocks, and the next instance mounts as a continuation (same
// epoch: no descriptor goes stale). A crash and restart instead loses
// them (ESTALE), and keeps only what was committed.
//
// Imports: ipc, ipc/diskproto, ipc/fsproto and the packages under
// servers/fs; encoding/json for the state.
package fs
