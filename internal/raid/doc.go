// Package raid is the block mapping of a RAID array over several disks:
// where a logical block lives (disk, offset), where its mirror or its
// stripe's parity lives, and the physical reads and writes a logical read
// or write costs, for RAID 0 (striping), 1 (mirroring), 4 (a parity disk)
// and 5 (rotating parity, left-symmetric or left-asymmetric) — the book's
// layouts (OSTEP chapter 38), in chunks of one or more blocks.
//
// It is a pure function of the layout: it moves no data and knows no
// device, so the disk driver (an array over several simulated disks) and
// `mkos ostep raid` (the book's raid.py) compute the same answers from it.
//
// Files: layout.go (Layout, the mappings), plan.go (Plan, the physical
// I/Os of a request).
//
// Imports: the standard library only.
package raid
