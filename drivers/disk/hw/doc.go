// Package hw is the simulated disk hardware: a block device the disk driver
// programs through the kernel (DevStart, an interrupt, DevDone). It is the
// hardware, not the driver: it has no queue, serves one operation at a time,
// and cannot crash; the driver in package disk is the software that can.
//
// The layers, bottom up:
//
//	store.go  where the blocks live: a host image file (data survives
//	          between runs) or memory (tests)
//	hdd.go    the latency of a 7200 rpm hard disk: seek by cylinder
//	          distance, rotational delay from the platter's angle at that
//	          virtual time, transfer at the media rate
//	ssd.go    the latency of a flash disk: a fixed cost per read or write
//	          plus the transfer
//	disk.go   the device: Start charges the model's time, Finish moves the
//	          data (a write reaches the medium only then), the power switch
//	          and the counters
//	record.go an optional log of the operations served and their timing,
//	          for tools that show service order (mkos ostep disk --mkos)
//
// A Disk implements the kernel's Device interface structurally (Name, Start,
// Finish); it never imports the kernel. It reads no host time and draws no
// random numbers: the platter's position is a function of virtual time, so
// the same run gives the same latencies.
//
// Imports: ipc only.
package hw
