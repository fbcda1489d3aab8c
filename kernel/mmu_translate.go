package kernel

import (
	"fmt"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// WalkStep is one step of a page-table walk, for lectures (`mkos vm
// translate`).
type WalkStep struct {
	Level string // "va", "dir", "table", "pa" or "fault"
	Index uint64 // the index used at this level
	Entry uint32 // the entry read (dir: 1 when the table exists)
	Text  string // the step in words
}

// String renders the step.
func (s WalkStep) String() string { return fmt.Sprintf("%-5s %s", s.Level, s.Text) }

// Translate walks task ep's page table for va the way the MMU does and
// returns each step and the physical address; err is EFAULT when the walk
// ends in a page fault. It does not touch the TLB or the accessed bits.
func (k *Kernel) Translate(ep ipc.Endpoint, va uint64) ([]WalkStep, uint64, error) {
	t, e := k.lookup(ep)
	if e != 0 {
		return nil, 0, e
	}
	if va >= ipc.VALimit {
		return nil, 0, ipc.ErrInvalid
	}
	d, i, off := va>>22&(entries-1), va>>12&(entries-1), va&(ipc.PageSize-1)
	steps := []WalkStep{{Level: "va", Text: fmt.Sprintf("0x%08x = directory index %d, table index %d, offset %#x", va, d, i, off)}}
	var pt *pageTable
	if t.mem != nil {
		pt = t.mem.as.dir[d]
	}
	if pt == nil {
		steps = append(steps, WalkStep{Level: "dir", Index: d, Text: fmt.Sprintf("entry %d: no page table", d)},
			WalkStep{Level: "fault", Text: "page fault: not present"})
		return steps, 0, linux.EFAULT
	}
	steps = append(steps, WalkStep{Level: "dir", Index: d, Entry: 1, Text: fmt.Sprintf("entry %d: page table present", d)})
	pte := pt[i]
	steps = append(steps, WalkStep{Level: "table", Index: i, Entry: pte,
		Text: fmt.Sprintf("entry %d = 0x%08x: frame %d, %s", i, pte, pte>>pteFrameShift, pteFlags(pte))})
	if pte&ipc.PTEPresent == 0 {
		steps = append(steps, WalkStep{Level: "fault", Text: "page fault: not present"})
		return steps, 0, linux.EFAULT
	}
	pa := uint64(pte>>pteFrameShift)*ipc.PageSize + off
	steps = append(steps, WalkStep{Level: "pa", Text: fmt.Sprintf("frame %d × %d + %#x = %#x", pte>>pteFrameShift, ipc.PageSize, off, pa)})
	return steps, pa, nil
}

// pteFlags names the flags set in an entry.
func pteFlags(pte uint32) string {
	var f []string
	for _, x := range []struct {
		bit  uint32
		name string
	}{{ipc.PTEPresent, "present"}, {ipc.PTEWritable, "writable"}, {ipc.PTEUser, "user"}, {ipc.PTEAccessed, "accessed"}, {ipc.PTEDirty, "dirty"}} {
		if pte&x.bit != 0 {
			f = append(f, x.name)
		}
	}
	if len(f) == 0 {
		return "no flags"
	}
	return strings.Join(f, " ")
}
