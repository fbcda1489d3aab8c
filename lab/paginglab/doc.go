// Package paginglab is the paging lab behind `mkos vm`: it runs a page
// reference string through a real system — a user task whose every
// reference is a Load translated by the kernel's MMU, a page fault sent to
// the memory manager, and mm's replacement policy choosing victims within
// a resident limit of N frames — and reports what the textbook asks for:
// for each reference hit or miss, the victim, and the frames' contents,
// then the totals and the hit rate. It answers as OSTEP's homework
// simulator paging-policy.py does for the same inputs, ties and random
// draws included, and can print that tool's transcript byte for byte.
//
// It owns:
//   - Config and its reference strings (lab.go): given page numbers, or
//     drawn from a seed as the tool draws them (internal/pyrand), leaving
//     the generator where the tool leaves it for RAND's and CLOCK's draws;
//   - the run (lab.go) and the lab task (labtask.go);
//   - paging-policy.py's options and output (ostep.go), the lab's own
//     table and JSON (report.go);
//   - page-table walks for lectures, `mkos vm translate` (translate.go).
//
// # How references reach the policy
//
// Hits never reach mm: the MMU serves them. LRU and CLOCK must see them
// all the same, in order, and OPT must know which reference it is at. The
// lab's task therefore tells mm of each reference right after making it,
// with an mmproto Ref request, and mm runs with exact references
// (mm.Options.ExactRefs): the report becomes the policy's Touch. Reading
// the accessed bits instead was rejected: a bit says "used since the last
// look", not in which order, and an access that hits in the TLB does not
// set a bit cleared while the entry was cached.
//
// Whether a reference hit is not the task's word or mm's: it is whether
// the kernel counted a page fault for it (the task's MemStats). mm's Ref
// reply must agree, or the lab stops with an error; the tests also check
// that the kernel's page faults equal the misses.
//
// The lab's CLOCK is paging-policy.py's: a hand that lands on a random
// resident page at each step, with counters of ClockBits (default 2)
// bits. ClockSweep gives the textbook's sweeping hand instead (answers
// then differ from the tool's).
//
// Imports: kernel, servers/mm, ipc, ipc/mmproto and internal/pyrand.
package paginglab
