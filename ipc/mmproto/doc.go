// Package mmproto is the protocol of the memory manager service: the
// system calls that shape a task's address space (brk, mmap, munmap,
// mprotect, msync), mm's counters and each task's, and the two requests
// of the paging lab. Page faults are not in it: the kernel sends those
// itself (ipc.PageFault). It imports ipc only.
//
// Addresses are 32-bit virtual addresses (ipc.VALimit); lengths are
// rounded up to whole pages. Errors are Linux errno values: EINVAL for a
// bad argument, ENOMEM when no room is left in the address space or a
// range is not mapped, EACCES when a file's open mode or a shared
// segment's owner and mode forbid the mapping, ENODEV when the file cannot be mapped (not a regular file, or
// no file server).
//
// # Per-process statistics, for ps and top
//
// Two calls give a process's memory counters; ps and top use both:
//
//   - Sys.MemStats (a system call, no message) returns the caller's own
//     counters as the kernel keeps them: resident pages, minor and major
//     faults, TLB hits and misses — the TLB is the kernel's alone.
//   - GetTaskStats (Client.TaskStats) asks mm about any task, by endpoint: resident,
//     virtual and swapped pages and minor, major and refused faults, as
//     mm served them; it also answers for a task that exited recently
//     (Exited set), whose kernel counters are gone.
//
// # Replies the stubs do not believe
//
// Errnos (errnos.go) is the set of errnos the protocol documents. The
// client stubs check every reply: an errno outside Errnos and
// ipc.CallErrnos, or a count or length past the buffer it describes, is
// garbage, and the stub returns ipc.ErrBadReply (EIO) instead of
// believing it; a stub never panics on a reply.
//
// Imports: ipc only; servers and programs import it, never the other way.
package mmproto
