// Package pipe is the pipe server: the "pipe" service (protocol
// ipc/streamproto) that makes the pipes of shell pipelines.
//
// Pipe makes a pipe — a bounded buffer (Options.CapacityBytes, 64 KiB)
// with a read end and a write end — and returns a handle on each. Dup
// makes another handle on the same end (for inherited descriptors). The
// semantics are POSIX's:
//
//   - a read returns what is buffered, up to its size, at once; with
//     nothing buffered it waits while any write handle is open (a
//     deferred reply), and returns 0, end of file, when none is;
//   - a write waits while the buffer is full and returns when all of its
//     bytes are in; a write of at most streamproto.PipeBuf bytes is
//     atomic, never interleaved with another's; with no read handle open
//     it fails with EPIPE, or returns the count it got in before the last
//     reader left. (No SIGPIPE is sent: the system-call library may raise
//     it on EPIPE.)
//   - waiting reads are answered oldest first, and so are waiting writes.
//
// Data moves straight between the callers' bulk windows and the buffer:
// a write that must wait stays in its writer's window until there is room
// (the kernel lets a server copy from a caller it has not answered yet).
//
// # Who closes
//
// A handle is closed by Close — a program's library closes its handles at
// exit — or when the last task that holds it dies (exit.go): the server
// keeps which tasks hold each handle (its maker until another task uses
// it, and every task that has used it), watches exits
// (ipc.ExitWatcher), and closes what only dead tasks held, so a pipeline
// whose writer was killed still ends for its reader, and a writer whose
// reader was killed gets EPIPE. A handle is never reused, so a late
// second Close fails harmlessly with EBADF.
//
// # Placement
//
// Hybrid mode places the pipe server in the kernel: it drives no
// hardware, its state (the buffered bytes) cannot survive a restart
// anyway, and every byte of a pipeline crosses it twice, so a kernel
// placement saves two context switches per read and write where isolation
// would buy little. After a restart in user space every old handle fails
// with EBADF; a live update (`svc update pipe`, state.go) instead moves
// every pipe, its bytes, handles and waiting reads and writes to the new
// instance, which answers them.
//
// Files: pipe.go (the server, handles, Pipe, Dup, Close), pipe_io.go
// (reads and writes), ring.go (the buffer), exit.go (holders that die),
// state.go (the live update's state).
//
// Imports: ipc, ipc/streamproto; encoding/json for the state.
package pipe
