// Package memdev is the memory devices, one stream service ("memdev",
// protocol ipc/streamproto) with four streams, as Linux's mem driver has:
//
//	null    reads are end of file; writes are taken and thrown away
//	zero    reads return zeros; writes are thrown away
//	random  reads return pseudo-random bytes from a seeded generator;
//	        writes are thrown away
//	full    reads return zeros; writes fail with ENOSPC
//
// random is deterministic: its generator is seeded with Options.Seed, or,
// when that is 0, with a number drawn from the kernel's seeded generator
// (Sys.Rand) on the first request. The same boot seed gives the same
// bytes. A restarted instance draws a new seed.
//
// There is no hardware: the devices are memory, and the service keeps no
// table of open streams — a handle names its device and access mode
// (handles.go), so handles survive a restart, and nothing leaks when a
// process dies holding one.
//
// Imports: ipc, ipc/streamproto.
package memdev
