package mm

import (
	"errors"
	"sort"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/linux"
)

// Swap: where dirty victims go. A slot holds one page. mm hands out slots
// (lowest free first) and remembers, for every page that has one, which;
// a page read back keeps its slot until it is written again, so evicting
// it clean costs no I/O.

// SwapStore is a swap area of page-sized slots.
type SwapStore interface {
	// Kind names the store for listings: "disk" or "memory".
	Kind() string
	// Slots returns the number of slots; -1 for no limit.
	Slots(sys ipc.Sys) int64
	// Write stores one page in slot.
	Write(sys ipc.Sys, slot int64, data []byte) error
	// Read fills data from slot.
	Read(sys ipc.Sys, slot int64, data []byte) error
}

// DiskSwap is swap on a block device reached through its driver's
// protocol (diskproto): slot n is the n-th run of PageSize bytes.
type DiskSwap struct {
	Dst       ipc.Endpoint
	blockSize int
	blocks    int64
}

func (d *DiskSwap) Kind() string { return "disk" }

// geometry asks the driver for the block size once.
func (d *DiskSwap) geometry(sys ipc.Sys) error {
	if d.blockSize != 0 {
		return nil
	}
	g, err := diskproto.Client{Sys: sys, Dst: d.Dst}.Info()
	if err != nil {
		return err
	}
	if g.BlockSize <= 0 || ipc.PageSize%g.BlockSize != 0 {
		return ipc.ErrInvalid
	}
	d.blockSize, d.blocks = g.BlockSize, g.Blocks
	return nil
}

func (d *DiskSwap) Slots(sys ipc.Sys) int64 {
	if d.geometry(sys) != nil {
		return 0
	}
	return d.blocks * int64(d.blockSize) / ipc.PageSize
}

func (d *DiskSwap) Write(sys ipc.Sys, slot int64, data []byte) error {
	if err := d.geometry(sys); err != nil {
		return err
	}
	n := ipc.PageSize / d.blockSize
	return diskproto.Client{Sys: sys, Dst: d.Dst}.WriteBlocks(slot*int64(n), n, data)
}

func (d *DiskSwap) Read(sys ipc.Sys, slot int64, data []byte) error {
	if err := d.geometry(sys); err != nil {
		return err
	}
	n := ipc.PageSize / d.blockSize
	return diskproto.Client{Sys: sys, Dst: d.Dst}.ReadBlocks(slot*int64(n), n, data)
}

// MemorySwap keeps swapped pages in mm's own memory. It stands in for a
// swap device when no disk is configured, so that eviction and swap-in
// work everywhere — but it is not real swap: it frees no memory of the
// host, costs no device time, and its contents die with mm (a restarted
// mm reports the pages it held as lost: touching one kills the task).
type MemorySwap struct{ pages map[int64][]byte }

func (m *MemorySwap) Kind() string        { return "memory" }
func (m *MemorySwap) Slots(ipc.Sys) int64 { return -1 }

func (m *MemorySwap) Write(_ ipc.Sys, slot int64, data []byte) error {
	if m.pages == nil {
		m.pages = map[int64][]byte{}
	}
	m.pages[slot] = append(m.pages[slot][:0], data...)
	return nil
}

func (m *MemorySwap) Read(_ ipc.Sys, slot int64, data []byte) error {
	p, ok := m.pages[slot]
	if !ok {
		return ipc.ErrInvalid
	}
	copy(data, p)
	return nil
}

// store returns the swap store, choosing it on first use: Options.Swap,
// else the disk service Options.SwapService if it exists, else memory.
func (s *Server) store(sys ipc.Sys) SwapStore {
	if s.swap != nil {
		return s.swap
	}
	switch {
	case s.opt.Swap != nil:
		s.swap = s.opt.Swap
	case s.opt.SwapService != "-":
		if id, err := sys.Lookup(s.opt.SwapService); err == nil {
			s.swap = &DiskSwap{Dst: ipc.ServiceEndpoint(id)}
		}
	}
	if s.swap == nil {
		s.swap = &MemorySwap{}
	}
	return s.swap
}

// allocSlot returns a free swap slot, or ENOMEM when swap is full.
func (s *Server) allocSlot(sys ipc.Sys) (int64, ipc.Errno) {
	if n := len(s.swapFree); n > 0 {
		slot := s.swapFree[n-1]
		s.swapFree = s.swapFree[:n-1]
		return slot, 0
	}
	if limit := s.store(sys).Slots(sys); limit >= 0 && s.swapNext >= limit {
		return 0, linux.ENOMEM // swap is full
	}
	s.swapNext++
	return s.swapNext - 1, 0
}

// freeSlot gives back pg's swap slot, if it has one.
func (s *Server) freeSlot(sys ipc.Sys, pg *page) {
	if pg.slot < 0 {
		return
	}
	s.swapFree = append(s.swapFree, pg.slot)
	sort.Slice(s.swapFree, func(i, j int) bool { return s.swapFree[i] > s.swapFree[j] })
	s.recordSlot(sys, pg.slot, Page{}, false)
	pg.slot = -1
}

// swapOut writes frame, the contents of the page named key, to its swap
// slot, giving it one if it has none.
func (s *Server) swapOut(sys ipc.Sys, key Page, pg *page, frame uint32) ipc.Errno {
	if pg.slot < 0 {
		slot, e := s.allocSlot(sys)
		if e != 0 {
			return e
		}
		pg.slot = slot
		s.recordSlot(sys, slot, key, true)
	}
	buf := s.pageBuf()
	req := ipc.VMRequest{Op: ipc.VMReadFrame, Frame: frame, Buf: buf}
	if err := sys.VM(&req); err != nil {
		return ipc.ErrnoOf(err)
	}
	if err := s.store(sys).Write(sys, pg.slot, buf); err != nil {
		return ioErr(err)
	}
	s.stats.SwapOuts++
	return 0
}

// pageBuf returns mm's one page-sized scratch buffer.
func (s *Server) pageBuf() []byte {
	if s.buf == nil {
		s.buf = make([]byte, ipc.PageSize)
	}
	return s.buf
}

// swapIn fills frame from swap slot.
func (s *Server) swapIn(sys ipc.Sys, slot int64, frame uint32) ipc.Errno {
	buf := s.pageBuf()
	if err := s.store(sys).Read(sys, slot, buf); err != nil {
		return ioErr(err)
	}
	req := ipc.VMRequest{Op: ipc.VMWriteFrame, Frame: frame, Buf: buf}
	return ipc.ErrnoOf(sys.VM(&req))
}

// ioErr is the errno of a failed swap transfer: the driver's, or EIO.
func ioErr(err error) ipc.Errno {
	var e ipc.Errno
	if errors.As(err, &e) {
		return e
	}
	return ipc.ErrHalted // EIO
}

// sortedIdx returns the keys of a page map in order.
func sortedIdx(m map[uint64]*page) []uint64 {
	out := make([]uint64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
