// Package mmproto is the protocol of the memory manager service: the
// system calls that shape a task's address space (brk, mmap, munmap,
// mprotect), mm's counters, and the two requests of the paging lab. Page
// faults are not in it: the kernel sends those itself (ipc.PageFault). It
// imports ipc only.
//
// Addresses are 32-bit virtual addresses (ipc.VALimit); lengths are
// rounded up to whole pages. Errors are Linux errno values: EINVAL for a
// bad argument, ENOMEM when no room is left in the address space.
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
	// fail), and replies with the address in Word(0). With MapShared,
	// Word(4) is the shared-mapping id: every task that maps the same id
	// sees the same pages.
	Mmap
	// Munmap unmaps Word(1) bytes at Word(0).
	Munmap
	// Mprotect sets the protection of Word(1) bytes at Word(0) to Word(2).
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
	// most Word(0) of them), and replies with their number in Word(0).
	Resident
)

// Flags are mmap flags.
type Flags uint64

// Mmap flags.
const (
	// MapAnonymous: zero-filled memory, backed by swap (the only kind
	// until the file server maps files).
	MapAnonymous Flags = 1 << iota
	// MapShared: the pages are shared with every task that maps the same
	// shared-mapping id; without it the mapping is private.
	MapShared
	// MapFixed: map exactly at the hint or fail with ENOMEM.
	MapFixed
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
	return rep.Word(0), err
}

// Mmap maps length bytes with prot and flags, at hint if it can (0: mm
// chooses), and returns the address. shareID names the shared mapping
// when flags has MapShared.
func (c Client) Mmap(hint, length uint64, prot ipc.Prot, flags Flags, shareID uint64) (uint64, error) {
	rep, err := c.call(Mmap, nil, hint, length, uint64(prot), uint64(flags), shareID)
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

// Ref reports a reference to the page at va (the paging lab).
func (c Client) Ref(va uint64) (RefResult, error) {
	rep, err := c.call(Ref, nil, va)
	return RefResult{Miss: rep.Word(0) == 1, Evicted: rep.Word(1) == 1, VictimVA: rep.Word(2)}, err
}

// Resident returns the addresses of the caller's resident pages in the
// policy's order; buf (8 bytes a page) bounds how many it can return.
func (c Client) Resident(buf []byte) ([]uint64, error) {
	rep, err := c.call(Resident, &ipc.Extra{Recv: buf}, uint64(len(buf)/8))
	if err != nil {
		return nil, err
	}
	n := min(int(rep.Word(0)), len(buf)/8)
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

// call makes one request with words as its payload.
func (c Client) call(t ipc.Type, x *ipc.Extra, words ...uint64) (ipc.Message, error) {
	req := ipc.Message{Type: t}
	for i, w := range words {
		req.SetWord(i, w)
	}
	var rep ipc.Message
	var err error
	if x == nil {
		err = c.Sys.Call(c.Dst, &req, &rep)
	} else {
		err = c.Sys.CallWith(c.Dst, &req, &rep, x)
	}
	if err != nil {
		return rep, err
	}
	return rep, rep.Err()
}
