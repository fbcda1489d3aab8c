// Package net is the net server: the service "net" (protocols
// ipc/netproto and, on socket handles, ipc/streamproto) that hosts the
// machine's TCP/IP stack, gVisor's netstack made deterministic
// (internal/netstack), and gives programs sockets.
//
// # The loop
//
// The stack is a state machine driven by the server, never by a
// goroutine or the host's clock. Every event — a request, the timer, the
// NIC driver's "frames wait" — runs the same steps (server.go):
//
//  1. the stack's clock is advanced to the kernel's virtual time
//     (Advance runs the timers due by then, each followed by the barrier);
//  2. the event itself: a socket call, or the frames the driver has
//     (nicproto Recv, Inject);
//  3. settle: what is due now runs (loopback packets), parked calls that
//     can go on are answered (io.go), the frames the stack queued go to
//     the NIC driver (nicproto Send), and the kernel timer is armed at the
//     stack's next deadline (SetTimer: TimerBit).
//
// A socket call that would wait (Accept, Connect, a receive with nothing
// there, a send into a full buffer) is parked and answered later, as the
// pipe server parks its reads; non-blocking sockets get EAGAIN.
//
// # Sockets and handles
//
// handles.go: a handle names a socket for the tasks that hold it;
// several handles (Dup) may name one socket. exit.go: the server watches
// exits and closes what only dead tasks held. views.go: the JSON views
// behind ifconfig, netstat and route.
//
// # Restarts and placement
//
// A restarted instance has a new stack: every connection of the old one
// is gone. Calls parked in the dead instance fail with ECONNRESET
// (ipc.ErrServiceDied); its handles are refused by the new one as
// ipc/netproto documents (reads ECONNRESET, writes EPIPE, Accept
// ECONNABORTED). Peers on other machines see a reset when they next send.
// In hybrid mode the server runs in user space (a big stack that can
// crash is what user space is for); in mono mode it is placed in the
// kernel and its timers run on its kernel thread.
//
// Files: config.go (the configuration boot fills), server.go (the loop,
// frames), handles.go (handles, Socket, Dup, Close), ops.go (Bind,
// Listen, Connect, Shutdown, names, flags), io.go (parked calls, sends
// and receives), exit.go (holders that die), views.go, names.go.
//
// Imports: ipc, ipc/linux, ipc/netproto, ipc/nicproto, ipc/streamproto,
// internal/netstack; encoding/json for the views.
package net
