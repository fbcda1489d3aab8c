// Package ulib is the system-call library of user programs (xv6's ulib,
// MINIX's libc): what a program calls instead of building messages. It
// has two halves:
//
//   - processes (proc.go, spawn.go, signal.go): spawn, wait, exit, kill,
//     pids and process groups, signal handlers, sleep — over the process
//     manager's protocol (ipc/pmproto);
//   - files (file*.go, inherit.go): a descriptor table per program (0, 1,
//     2, …) over the file server (ipc/fsproto) and the stream services
//     (ipc/streamproto: /dev/tty, /dev/null, /dev/zero, /dev/random, pipes),
//     descriptors inherited across spawn (inherit.go), and the transparent
//     recovery of file requests across a restart of the file server
//     (file_fs.go says which requests are retried and which fail);
//     fs_streams.go reads a directory as one stream and follows a file
//     as it grows (tail -f) through the file server's request/streams.
//
// socket.go gives programs sockets over the net server (ipc/netproto):
// a socket is a stream descriptor, read, written, inherited and closed
// like a pipe; poll.go waits on several descriptors (PollFds) through
// the stream services' Ready.
//
// user.go adds the process's credentials (Cred, and Setcred through pm)
// and the user and group databases, /etc/passwd and /etc/group.
//
// Main wraps a program's main function: it loads the inherited descriptors
// and closes every descriptor when main returns. FdPath names the file a
// descriptor is open on, so that a program's write error names it too
// (WriteError: "write error: /dev/full: no space left on device");
// FailedWrites keeps that error for a program whose writes go through a
// library that drops it.
//
// A program makes one Proc from the Sys its task body gets and keeps it:
// the Proc holds the program's signal handlers. Errors are Linux errno
// values (ipc.Errno), so errors.Is(err, unix.ECHILD) works.
//
// # Signals
//
// A signal the program catches arrives as a notification bit
// (pmproto.SignalBit). The library runs its handler on the program's own
// coroutine when the program next takes its notifications: Poll, Sleep
// (which blocks in a Receive and runs handlers as their signals arrive),
// and Wait (pm interrupts a blocked wait with EINTR; the library runs the
// handlers and waits again, as with SA_RESTART). A program that computes
// for a long time without calling any of them runs no handler meanwhile.
//
// Notification bits 0–30 are signals, bit 32 is the library's Sleep timer
// (TimerBit); the other bits are the program's, kept for Pending.
//
// getopt.go parses a program's options, as libc's getopt (coreutils and
// the network programs share it).
//
// Imports: ipc, ipc/pmproto, ipc/fsproto, ipc/streamproto, ipc/netproto.
package ulib
