// Package nic is the NIC driver: the server behind the "nic" service
// (protocol ipc/nicproto). It programs the simulated card of package
// nic/hw through the kernel — DevStart, the card's interrupt, DevDone —
// and moves frames between its callers' bulk windows and its own queues
// with CopyIn and CopyOut, never through shared memory.
//
// The shape is a real driver's, in MINIX's server form:
//
//   - Transmit: Send copies the frame into the driver's transmit queue and
//     replies at once; the card serializes one frame at a time, and the
//     completion interrupt starts the next. A full queue is ENOBUFS.
//   - Receive: the card puts arriving frames in its receive ring and
//     interrupts; the driver takes them off the card in batches (a
//     receive operation the card completes after its copy) into its own
//     bounded queue, and notifies the service "net" (nicproto.RxBit),
//     which calls Recv until EAGAIN.
//
// The card has one operation in flight at a time (as the kernel models a
// device), so transmit and receive take turns: after a receive, a waiting
// send goes first. An interrupt does not say whether it is a completion or
// an arrival; the driver tries a receive after every one and the card
// answers EAGAIN when its ring is empty.
//
// The driver knows nothing of the card until it asks: its first request
// makes it IDENTIFY the card (address, MTU, speed, link); requests wait
// for the answer.
//
// Restarts. The driver keeps its queues in memory only: when it dies, the
// frames in them are lost (the card's counters still show them: TxFrames
// did not grow, RxRead did) and the kernel fails calls in progress with
// ECONNRESET, which nicproto.Client retries on the new instance. A new
// instance identifies the card again, ignores the completion of an
// operation its predecessor started (its tags start from its opening
// time), and takes the frames that waited in the card's ring.
//
// Files:
//
//	driver.go     the server: Handle, the requests, the replies
//	driver_io.go  the card side: starting operations, completions, the
//	              notification to net
//
// Imports: ipc, ipc/linux, ipc/nicproto and its own hardware,
// drivers/nic/hw.
package nic
