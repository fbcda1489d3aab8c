package mmproto

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc"
)

// Name is the service name the memory manager registers. The kernel sends
// page faults to it.
const Name = "mm"

// Request types.
const (
	// Brk sets the end of the caller's heap to Word(0) (0 only asks) and
	// replies with the end in Word(0). The heap starts at HeapBase; a
	// smaller end frees the pages past it.
	Brk ipc.Type = iota + 1
	// Mmap maps Word(1) bytes with prot Word(2) and flags Word(3), at
	// Word(0) if that range is free (a hint; with MapFixed, there or
	// fail), and replies with the address in Word(0).
	//
	// With MapAnonymous the pages start zero-filled; with MapShared too,
	// Word(4) is the shared-mapping id (below MaxShareID): every task
	// that maps the same id sees the same pages. Such a segment has an
	// owner and a mode: the task that maps an id no one maps yet creates
	// it, owned by its uid and gid, with the permission bits in Word(5)
	// (at most MaxShmMode; 0 means DefaultShmMode). Every attach,
	// including the creator's, needs read permission, and write
	// permission for a writable mapping (Mprotect adding write later is
	// checked the same way); root may attach any segment; a refusal is
	// EACCES. The segment goes with its last mapping.
	//
	// Without MapAnonymous the mapping is of a file: Word(4) is the
	// page-aligned offset in the file, Word(5) holds the length of the
	// file's path (low 32 bits) and the flags it was opened with (high 32
	// bits: only O_ACCMODE counts, O_CREAT and O_TRUNC are ignored), and
	// the path is in the send window. mm opens the file itself through
	// the file server. A fault on a page not in memory reads it from the
	// file (a major fault); bytes past the end of the file read as zeros.
	// A private mapping (no MapShared) is never written back: its written
	// pages go to swap. A shared mapping's written pages are written back
	// to the file when they are evicted, by Msync, and by Munmap and
	// Release; never past the file's end (a mapping does not grow its
	// file). A file opened O_WRONLY cannot be mapped, and a shared
	// writable mapping needs O_RDWR (EACCES).
	Mmap
	// Munmap unmaps Word(1) bytes at Word(0).
	Munmap
	// Mprotect sets the protection of Word(1) bytes at Word(0) to Word(2):
	// mappings and the heap alike. A later access the protection does not
	// allow is a segmentation fault (SIGSEGV).
	Mprotect
	// GetStats replies with mm's counters (see Stats).
	GetStats
	// Ref tells mm that the caller just referenced the page at Word(0):
	// the paging lab's exact references (mm counts it as a use of the
	// page for LRU and CLOCK, and as the next reference for OPT). The
	// reply says what mm did for the caller since its last Ref:
	// Word(0) 1 if it served a fault (a miss), Word(1) 1 if it evicted one
	// of the caller's pages, and Word(2) that page's address.
	Ref
	// Resident copies the addresses of the caller's resident pages, in the
	// policy's order, into the receive window as little-endian uint64s (at
	// most Word(0) of them, and at most ipc.MaxBulk/8), and replies with
	// the number copied in Word(0).
	Resident
	// Msync writes the written pages of the shared file mappings in
	// Word(1) bytes at Word(0) back to their files, and returns when the
	// file server has them on the disk (MS_SYNC). Private and anonymous
	// mappings in the range are left alone; an unmapped hole is ENOMEM.
	Msync
	// GetTaskStats replies with the memory counters of the task Word(0)
	// (0: the caller); see EncodeTaskStats. ESRCH when mm knows no such
	// task.
	GetTaskStats
	// Release unmaps all of the caller's mappings and empties its heap,
	// writing shared file pages back: what a process does as it exits.
	// A task that dies without it loses its unwritten changes to shared
	// file pages no other task maps (the kernel frees a dead task's
	// frames before mm hears of the death).
	Release
)

// LastRequest is the highest request type, for tables and tests.
const LastRequest = Release

// Names maps each request type to its name, for traces and tests.
var Names = map[ipc.Type]string{
	Brk: "brk", Mmap: "mmap", Munmap: "munmap", Mprotect: "mprotect", GetStats: "mmstats",
	Ref: "ref", Resident: "resident", Msync: "msync", GetTaskStats: "taskstats", Release: "release",
}

// Flags are mmap flags.
type Flags uint64

// Mmap flags.
const (
	// MapAnonymous: zero-filled memory, backed by swap; without it, the
	// mapping is of a file (see Mmap).
	MapAnonymous Flags = 1 << iota
	// MapShared: the pages are shared with every task that maps the same
	// shared-mapping id; without it the mapping is private.
	MapShared
	// MapFixed: map exactly at the hint or fail with ENOMEM.
	MapFixed
)

// MaxShareID bounds the ids of shared anonymous mappings; mm names the
// objects behind shared file mappings with the ids above it.
const MaxShareID uint64 = 1 << 60

// Shared segment modes (Mmap's Word(5)): permission bits for the owner,
// the owner's group and others, as in a file's mode.
const (
	// DefaultShmMode is a new segment's mode when the Mmap gives none:
	// only its owner may read and write it.
	DefaultShmMode = 0o600
	// MaxShmMode is the largest mode: a larger Word(5) is EINVAL.
	MaxShmMode = 0o777
)

// Address-space layout: page 0 is never mapped (a nil pointer faults),
// the heap grows up from HeapBase, mappings go up from MmapBase.
const (
	HeapBase uint64 = 0x0040_0000
	MmapBase uint64 = 0x4000_0000
)

// Stats are mm's counters, over all tasks.
type Stats struct {
	Resident  int   // frames mm has mapped
	Limit     int   // the resident limit (0: only physical memory)
	Faults    int64 // page faults served
	Major     int64 // faults that read swap
	Evictions int64 // pages evicted
	SwapOuts  int64 // evicted pages written to swap
	Segv      int64 // faults refused: SIGSEGV
}

// TaskStats are one task's memory counters, as mm sees them.
type TaskStats struct {
	Task     ipc.Endpoint
	Resident int   // pages of its mappings and heap in memory
	Virtual  int   // pages of its mappings and heap (the size of its address space)
	Swapped  int   // pages in swap and not in memory
	Minor    int64 // faults served without I/O
	Major    int64 // faults that read swap or a file
	Segv     int64 // faults refused: segmentation faults
	Exited   bool  // the task is gone; Resident, Virtual and Swapped are 0
}

// RefResult is what Ref replies.
type RefResult struct {
	Miss     bool   // mm served a fault for the caller since its last Ref
	Evicted  bool   // ... and evicted one of the caller's pages
	VictimVA uint64 // that page's address
}

// Client makes mm requests to the service at Dst.
type Client struct {
	Sys ipc.Sys
	Dst ipc.Endpoint
}

// Dial looks up the mm service and returns a client of it.
func Dial(sys ipc.Sys) (Client, error) {
	dst, err := ipc.Dial(sys, Name)
	return Client{Sys: sys, Dst: dst}, err
}

// Brk sets the end of the heap (0 asks) and returns it.
func (c Client) Brk(end uint64) (uint64, error) {
	rep, err := c.call(Brk, nil, end)
	if err != nil {
		return 0, err
	}
	if rep.Word(0) < HeapBase || rep.Word(0) > ipc.VALimit {
		return 0, ipc.ErrBadReply // the heap's end is never outside the address space
	}
	return rep.Word(0), nil
}

// Mmap maps length bytes with prot and flags, at hint if it can (0: mm
// chooses), and returns the address. shareID names the shared mapping
// when flags has MapShared.
func (c Client) Mmap(hint, length uint64, prot ipc.Prot, flags Flags, shareID uint64) (uint64, error) {
	rep, err := c.call(Mmap, nil, hint, length, uint64(prot), uint64(flags), shareID)
	return mapped(&rep, length, err)
}

// mapped checks the address an Mmap reply carries: a page, not page 0,
// with the whole mapping below ipc.VALimit.
func mapped(rep *ipc.Message, length uint64, err error) (uint64, error) {
	if err != nil {
		return 0, err
	}
	at := rep.Word(0)
	if at == 0 || at%ipc.PageSize != 0 || at >= ipc.VALimit || length > ipc.VALimit-at {
		return 0, ipc.ErrBadReply
	}
	return at, nil
}

// MmapShared maps length bytes of the shared anonymous segment id with
// prot (flags may add MapFixed), at hint if it can, and returns the
// address. A new segment is the caller's, with mode (0: DefaultShmMode);
// an existing one is attached if its owner and mode allow (EACCES).
func (c Client) MmapShared(hint, length uint64, prot ipc.Prot, flags Flags, id uint64, mode uint32) (uint64, error) {
	rep, err := c.call(Mmap, nil, hint, length, uint64(prot), uint64(flags|MapAnonymous|MapShared), id, uint64(mode))
	return rep.Word(0), err
}

// Munmap unmaps length bytes at addr.
func (c Client) Munmap(addr, length uint64) error {
	_, err := c.call(Munmap, nil, addr, length)
	return err
}

// Mprotect sets the protection of length bytes at addr.
func (c Client) Mprotect(addr, length uint64, prot ipc.Prot) error {
	_, err := c.call(Mprotect, nil, addr, length, uint64(prot))
	return err
}

// Stats returns mm's counters.
func (c Client) Stats() (Stats, error) {
	rep, err := c.call(GetStats, nil)
	return DecodeStats(&rep), err
}

// MmapFile maps length bytes of the file at path, from offset off, with
// prot and flags (MapShared or not; MapAnonymous must be clear), at hint
// if it can, and returns the address. openFlags are the flags the file
// was opened with: mm opens it itself, with the same access mode.
func (c Client) MmapFile(hint, length uint64, prot ipc.Prot, flags Flags, path string, openFlags int, off uint64) (uint64, error) {
	req := ipc.Message{Type: Mmap}
	for i, w := range []uint64{hint, length, uint64(prot), uint64(flags), off, uint64(len(path)) | uint64(uint32(openFlags))<<32} {
		req.SetWord(i, w)
	}
	rep, err := ipc.Do(c.Sys, c.Dst, &req, &ipc.Extra{Send: []byte(path)}, Errnos)
	return mapped(&rep, length, err)
}

// Msync writes the shared file pages in length bytes at addr back to
// their files and waits until they are on the disk.
func (c Client) Msync(addr, length uint64) error {
	_, err := c.call(Msync, nil, addr, length)
	return err
}

// TaskStats returns the memory counters of task (0: the caller).
func (c Client) TaskStats(task ipc.Endpoint) (TaskStats, error) {
	rep, err := c.call(GetTaskStats, nil, uint64(task))
	return DecodeTaskStats(&rep), err
}

// Release unmaps everything the caller maps and empties its heap.
func (c Client) Release() error {
	_, err := c.call(Release, nil)
	return err
}

// Ref reports a reference to the page at va (the paging lab).
func (c Client) Ref(va uint64) (RefResult, error) {
	rep, err := c.call(Ref, nil, va)
	if err != nil {
		return RefResult{}, err
	}
	if rep.Word(0) > 1 || rep.Word(1) > 1 {
		return RefResult{}, ipc.ErrBadReply // flags are 0 or 1
	}
	return RefResult{Miss: rep.Word(0) == 1, Evicted: rep.Word(1) == 1, VictimVA: rep.Word(2)}, nil
}

// Resident returns the addresses of the caller's resident pages in the
// policy's order; buf (8 bytes a page) bounds how many it can return.
func (c Client) Resident(buf []byte) ([]uint64, error) {
	rep, err := c.call(Resident, &ipc.Extra{Recv: buf}, uint64(len(buf)/8))
	if err != nil {
		return nil, err
	}
	n, ok := ipc.Count(rep.Word(0), len(buf)/8)
	if !ok {
		return nil, ipc.ErrBadReply // more pages than the window holds
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(buf[i*8:])
	}
	return out, nil
}

// EncodeStats puts s into a reply.
func EncodeStats(m *ipc.Message, s Stats) {
	m.SetWord(0, uint64(uint32(s.Resident))<<32|uint64(uint32(s.Limit)))
	m.SetWord(1, uint64(s.Faults))
	m.SetWord(2, uint64(s.Major))
	m.SetWord(3, uint64(s.Evictions))
	m.SetWord(4, uint64(s.SwapOuts))
	m.SetWord(5, uint64(s.Segv))
}

// DecodeStats reads a Stats reply.
func DecodeStats(m *ipc.Message) Stats {
	return Stats{Resident: int(m.Word(0) >> 32), Limit: int(uint32(m.Word(0))), Faults: int64(m.Word(1)),
		Major: int64(m.Word(2)), Evictions: int64(m.Word(3)), SwapOuts: int64(m.Word(4)), Segv: int64(m.Word(5))}
}

// EncodeTaskStats puts s into a reply: Word(0) the task, Word(1)
// resident and virtual pages (32 bits each), Word(2) swapped pages and
// the exited flag (bit 63), Word(3) minor, Word(4) major and Word(5)
// refused faults.
func EncodeTaskStats(m *ipc.Message, s TaskStats) {
	m.SetWord(0, uint64(s.Task))
	m.SetWord(1, uint64(uint32(s.Resident))<<32|uint64(uint32(s.Virtual)))
	w := uint64(uint32(s.Swapped))
	if s.Exited {
		w |= 1 << 63
	}
	m.SetWord(2, w)
	m.SetWord(3, uint64(s.Minor))
	m.SetWord(4, uint64(s.Major))
	m.SetWord(5, uint64(s.Segv))
}

// DecodeTaskStats reads a TaskStats reply.
func DecodeTaskStats(m *ipc.Message) TaskStats {
	return TaskStats{Task: ipc.Endpoint(m.Word(0)), Resident: int(m.Word(1) >> 32), Virtual: int(uint32(m.Word(1))),
		Swapped: int(uint32(m.Word(2))), Exited: m.Word(2)>>63 == 1,
		Minor: int64(m.Word(3)), Major: int64(m.Word(4)), Segv: int64(m.Word(5))}
}

// call makes one request with words as its payload.
func (c Client) call(t ipc.Type, x *ipc.Extra, words ...uint64) (ipc.Message, error) {
	req := ipc.Message{Type: t}
	for i, w := range words {
		req.SetWord(i, w)
	}
	return ipc.Do(c.Sys, c.Dst, &req, x, Errnos)
}
