// Package stubdisk is a stand-in disk driver: a server that speaks the
// disk protocol (ipc/diskproto) over a block device the host hands it — an
// image file or memory (servers/fs/bdev) — with no device, no interrupts
// and no latency. Tests and tools boot the file server on it where the
// real driver (drivers/disk) is not wanted: it answers each request at
// once (or after LatencyNs), in the caller's trap when placed in the
// kernel.
//
// Its Hook lets a test act at a chosen write (kill the file server, cut
// the power) to check what survives.
//
// Imports: ipc, ipc/diskproto, servers/fs/bdev.
package stubdisk
