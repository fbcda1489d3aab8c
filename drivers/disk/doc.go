// Package disk is the disk driver: the server behind the "disk" service
// (protocol ipc/diskproto). It programs the simulated disk of package
// disk/hw through the kernel — DevStart, the completion interrupt,
// DevDone — and moves data between its callers' bulk windows and its own
// buffer with CopyIn and CopyOut, never through shared memory.
//
// The shape is MINIX's: a request is checked and queued, the handler
// answers ipc.NoReply ("not yet"), and the reply is sent on the interrupt
// that completes it. One operation is on the device at a time; the others
// wait in the driver's queue, ordered by an I/O scheduler (sched*.go: FIFO,
// SSTF, C-LOOK). A Flush is a barrier: the requests after it wait until
// everything before it has completed.
//
// The driver knows nothing of the disk until it asks: its first request
// makes it IDENTIFY the device for the block size and the number of blocks.
//
// Restarts. The driver keeps its queue in memory only. When it dies, the
// kernel fails its callers' calls with ECONNRESET; diskproto.Client retries
// them on the new instance (reads, writes and flushes are idempotent). A
// new instance discards the completions of its predecessor's operations,
// and waits (EBUSY) for an operation still on the device to finish.
//
// RAID. With Options.Members the driver serves several disks as one: a
// software RAID 0, 1, 4 or 5 (raid.go) whose mapping of logical blocks to
// (disk, offset) and whose physical reads and writes are internal/raid's,
// the layer `mkos ostep raid` prints too. The queue, the schedulers and
// the barriers work on the logical disk as on a single one.
//
// Files:
//
//	driver.go     the server: Handle, Notified, the request checks
//	driver_io.go  the device side: starting operations, completions
//	raid.go       the RAID over several devices
//	sched*.go     the I/O schedulers, one file each
//
// Imports: ipc, ipc/diskproto, internal/raid and its own hardware,
// drivers/disk/hw.
package disk
