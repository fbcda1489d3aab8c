// Package mm is the memory manager: the pager that decides what the
// kernel's MMU holds. The kernel keeps the mechanism — frames, two-level
// page tables, TLBs, the accessed and dirty bits — and turns a task's
// access to a page it may not touch into a PageFault message to the "mm"
// service; mm decides everything else (L4 and Mach style). It runs as its
// own task in micro mode and inside the faulting task's trap when placed
// in the kernel, with the same code.
//
// It owns:
//   - address spaces as regions (space.go): each task's heap, grown and
//     shrunk with brk and cut by mprotect, and its mappings — anonymous,
//     private or shared with the other tasks that map the same
//     shared-mapping id, or of a file, private or shared with every task
//     that maps the same file; the address-space calls of mmproto
//     (syscalls.go);
//   - demand paging (fault.go): a fault inside a region gets a zero-filled
//     frame on first touch, its page back from swap, or its page read
//     from its file (a major fault); a fault outside every region, or
//     against its protection, is refused with EFAULT and the kernel kills
//     the task (SIGSEGV);
//   - files behind mappings (file.go), reached through the file server
//     like any program: read on a fault, written back (shared mappings)
//     on eviction, msync, munmap and Release;
//   - per-task statistics (taskstats.go): faults served and refused, and
//     resident, virtual and swapped pages, for ps, top and the run
//     summary (mmproto GetTaskStats);
//   - replacement (policy.go and one file per policy: fifo, lru, mru,
//     clock, opt, unopt, rand): when mm reaches its resident limit
//     (Options.ResidentLimit) or the kernel has no free frame (VMAlloc
//     says ENOMEM), the policy names a victim;
//   - swap (swap.go): a dirty victim is written to a swap slot (a page of
//     a shared file mapping to its file instead), a clean
//     one is dropped (a page read back keeps its slot until it is written
//     again); slots live on a disk reached through diskproto (the service
//     named by Options.SwapService, "swap" by default) or, with no disk,
//     in mm's own memory — a stand-in that dies with mm;
//   - shared anonymous segments' owners and modes (shm.go): the task that
//     creates a segment owns it, with the mode its Mmap gave (0600 by
//     default), and every attach is checked against them (EACCES);
//   - dead tasks (exit.go): mm watches exits (ipc.ExitWatcher) and
//     forgets a dead task at once — its regions, swap slots, its share of
//     shared objects and file mappings, its lab note; without notices it
//     finds dead tasks by asking the kernel (collect);
//   - restart (restart.go): regions and swap slots are stashed in frames
//     the kernel keeps across mm's death, and a new instance rebuilds its
//     state from them and from the kernel's frame table (VMFrames);
//   - the paging lab's requests (lab.go): exact references (Ref) and the
//     policy's view of memory (Resident).
//
// # References: exact in the lab, sampled otherwise
//
// The kernel tells mm of misses only; a hit never leaves the MMU. LRU and
// CLOCK need hits too, and get them in one of two ways:
//
//   - Sampled (normal operation). CLOCK reads and clears the accessed bit
//     of each page its hand passes (VMClearAccessed), as a hardware clock
//     does. LRU is approximated: before each eviction mm samples and clears
//     every resident page's accessed bit and moves the pages used since the
//     last eviction to the most-recently-used end, in their old order — so
//     its recency has the resolution of one eviction interval. FIFO, RAND
//     and the offline policies need no references.
//   - Exact (Options.ExactRefs, the paging lab). The lab's task reports
//     every access with an mmproto Ref right after making it, hit or miss,
//     and mm hands it to the policy (Touch). OPT counts these reports to
//     know where it is in the reference string. Accessed bits cannot do
//     this: they say "used since the last look", not in which order, and a
//     TLB hit does not set a bit that was cleared while the entry was
//     cached.
//
// # Placement in the kernel
//
// Placed in the kernel, mm's handler runs inside the faulting task's trap,
// and a second task can fault while the first waits for the swap disk or
// the file server. Handle then queues the request (ipc.NoReply) and
// answers it when the first is done, so mm serves one request at a time
// in every placement.
//
// # The kernel's rule for mappings
//
// mm is trusted with policy, not with isolation: the kernel knows which
// task each frame belongs to (kernel/mmu_owner.go). A frame mm has just
// allocated may be mapped only at the page whose fault mm is serving, and
// then belongs to that task; only a frame mapped with VMRequest.Share can
// go into other tasks after it, and always under the same name (mm uses
// the object's id, shareName). So mm maps a shared page into the faulting
// task first, shared, then into the object's other users (fault.go); a
// private page is never mapped into any other task. A fault mm answers
// without mapping is retried three times, then the task gets SIGSEGV.
//
// # What needs the kernel
//
// Three limits mm cannot lift on its own:
//
//   - The kernel frees a dead task's frames before mm hears of the death,
//     so written pages of a shared file mapping that only the dead task
//     mapped are lost unless it called Release (or msync) first.
//   - Placed in the kernel, mm's calls to the file server are made on
//     behalf of the task in whose trap it runs: it has no descriptors of
//     its own and opens the file by name for each transfer (file.go).
//   - The kernel forgets a task's counters when it dies: a dead task's
//     TLB hit rate is gone; mm keeps its fault counts (taskstats.go).
//
// A live update (`svc update mm`, state.go) starts the new instance from
// the stash as a restart does, and hands it what a restart loses: the
// counters, the policy's order and a memory swap's pages.
//
// Imports: ipc, ipc/mmproto, ipc/diskproto, ipc/fsproto and
// internal/pyrand (rand's and clock's random draws, as CPython's
// random.random()); encoding/json for the state.
package mm
