// Package tty is the console driver: the server behind the "tty" service
// (protocol ipc/streamproto). It programs the simulated UART of package
// tty/hw through the kernel — DevStart, interrupts, DevDone — and runs the
// line discipline (ldisc.go) between the keyboard and the programs that
// read the console.
//
// The shape is the disk driver's: a read with no input waiting answers
// ipc.NoReply and is answered when the keyboard interrupts; a write is
// answered when the transmitter has shown its last byte. Echo shares the
// transmitter with writes, in order.
//
// # Listening
//
// With Options.Listen (a live keyboard) the driver keeps a wait for keys
// on the receiver from its first request on, whether anyone reads or not:
// ^C must reach the foreground group while a program computes. That wait
// is also what keeps a run alive while the console is open: the kernel's
// Run ends when no task can run and no event is due, and a wait on the
// receiver is always due — the UART completes it within IdleNs (pacing
// virtual time to the wall clock, see tty/hw), and the driver waits again.
// It stops when the console hangs up: when its session leader — the
// first task to open it, init in a booted system — has died (checked at
// each idle wait), on IoctlHangup, or at the end of the host input (^D at
// a terminal is not that: it is a byte for the discipline; the terminal
// closing, or hw.DetachKey, is). Then nothing is due, and the run ends:
// the shell exits, init halts the system and exits, the console hangs up,
// Kernel.Run returns.
//
// Without Listen (a script keyboard) the driver waits for keys only while
// a read waits: the script is consumed as programs read it, so a run is
// reproducible, and a console that nobody reads keeps nothing alive.
//
// # Signals
//
// ^C, ^\ and ^Z (in ModeSignals) flush the input and send SIGINT, SIGQUIT
// or SIGTSTP to the foreground process group through pm, as kill(-pgid,
// sig): the shell sets the group with IoctlSetPgrp. With no group set, or
// no pm service, the key only flushes the input. The reads waiting at that
// moment fail with EINTR, so that a program that catches the signal runs
// its handler; the system-call library retries them.
//
// # Restarts
//
// Handles carry their access mode and are accepted by any instance
// (handles.go), so they stay valid across a restart. When the driver
// dies, the kernel fails its callers' waiting reads and writes with
// ECONNRESET; a read can be retried (nothing was taken from the keyboard
// for it), a write may have been shown in part. The line being edited,
// the mode, the foreground group and the session leader are lost: the new
// instance starts in cooked mode with no foreground group, and its leader
// is the next task to open the console. Typed bytes still in the UART's
// FIFO are not lost — waiting and reading are separate operations — and
// an operation of the dead instance still on a device completes to the
// new one, which recognises it by its tag.
//
// Files:
//
//	driver.go     the server: Handle, read, write, ioctl
//	handles.go    handles that need no table
//	driver_io.go  the UART side: waits, reads, writes, interrupts, signals
//	ldisc.go      the line discipline, a pure state machine
//
// Imports: ipc, ipc/streamproto, ipc/pmproto and its own hardware,
// drivers/tty/hw.
package tty
