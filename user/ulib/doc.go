// Package ulib is the system-call library of user programs (xv6's ulib,
// MINIX's libc): what a program calls instead of building messages. This
// is its process half — spawn, wait, exit, kill, pids and process groups,
// signal handlers, sleep — over the process manager's protocol
// (ipc/pmproto); the file half joins it when the file server's protocol
// settles.
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
// Imports: ipc, ipc/pmproto.
package ulib
