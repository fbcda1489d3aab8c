// Package ostepfs holds OSTEP's homework simulators of the Persistence
// part — file-disks/disk.py, file-raid/raid.py, file-integrity/checksum.py,
// file-implementation/vsfs.py, file-ffs/ffs.py, file-lfs/lfs.py — behind `mkos ostep NAME FLAGS…`: the same flags
// (lab/optparse), the same random draws (internal/pyrand), the same
// standard output and exit status as the script, errors included.
//
// Provenance: the saved outputs in testdata/ are real runs of the scripts
// (ostep-homework at commit 6c6cfc7, python3 3.11), one file per case in
// internal/ostepcase's format; the scripts themselves are not in mkos.
//
// Where the answer comes from:
//   - disk: the book's disk (three tracks, a head that moves and a platter
//     that turns one step per time unit) reproduced tick for tick, since its
//     output is the floating-point arithmetic of that animation. mkos's own
//     hard disk (drivers/disk/hw) is a different model — cylinders, a
//     platter angle from virtual time in nanoseconds — and lab packages may
//     not import drivers, so disk.py's policies (FIFO, SSTF, SATF, BSATF)
//     are its own here.
//   - raid: the mapping of a logical block to (disk, offset) and the
//     physical I/Os of a read or write are internal/raid's, the layer the
//     disk driver uses to stripe a RAID 0/1/4/5 over several simulated
//     disks. With --mkos the same requests then go through that driver on
//     a booted system (raid_mkos.go): each member's reads and writes and
//     the virtual time they took, on mkos's HDD model.
//   - checksum: the additive, XOR and Fletcher checksums of the book.
//   - vsfs, ffs and lfs: the book's file system models (first-fit bitmaps, one block
//     per file and per directory), which mkos's design deliberately
//     differs from. The flag --mkos (mkos's, taken out before the script's
//     flags are parsed) replays the same operations on mkos's own file
//     server (servers/fs, mounted in memory and called directly) and notes
//     which inodes and blocks each allocated and freed there (mkosfs.go),
//     and for lfs how many blocks each wrote to the journal and in place.
//     ffs.py's delete finds a file's bitmap entries by dividing by the
//     number of groups, not their size; that is reproduced, so a delete
//     usually ends in its own consistency check's AssertionError, as the
//     script's does.
//
// Files: tools.go (the Tools table, shared helpers), disk.go and
// disk_sched.go, raid.go and raid_mkos.go, checksum.go, vsfs.go and
// vsfs_ops.go (the model), lfs.go, lfs_ops.go, lfs_gen.go (its random
// commands) and lfs_main.go, ffs.go, ffs_ops.go, ffs_main.go and
// ffs_spans.go, the --mkos replays in vsfs_mkos.go, lfs_mkos.go and
// ffs_mkos.go over mkosfs.go.
//
// testdata/TOOL/*.txt are the saved runs; testdata/ffs/inputs holds
// ffs.py's command files: in.* from the OSTEP repository (workloads its
// README and questions use), mkos.* our own.
//
// Imports: boot (raid's --mkos boots a system), kernel (FormatNs), ipc,
// ipc/linux, ipc/diskproto, servers/fs (and its bdev and layout),
// lab/optparse, lab/osteptool, internal/pyrand, internal/raid.
package ostepfs
