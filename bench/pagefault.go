package bench

import (
	"fmt"
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
)

// pagefaultPages is the working set of the pagefault workload: half again
// the kernel's default physical memory (1024 frames), so that a sweep over
// it faults on every page once memory is full.
const pagefaultPages = 1536

// PageFault is a task sweeping a working set larger than physical memory:
// each operation is one store to the next page, which is not resident, so
// one operation is one page fault (mm evicts a dirty page to swap and
// reads the faulting page back). Host ns/op is host ns per fault; it
// reports virtual ns, messages and faults per operation.
func PageFault(mode boot.Mode) func(b *testing.B) {
	return Bench(pagefaultWorkload, Setup{Mode: mode})
}

var pagefaultWorkload = &Workload{
	Name:  "pagefault",
	Doc:   "one store to a page that is not resident (a working set 1.5× memory)",
	Needs: []string{mmproto.Name},
	Setup: func(e *Env) error {
		base, err := e.MM.Mmap(0, pagefaultPages*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
		if err != nil {
			return err
		}
		e.State = base
		for i := range pagefaultPages { // fill memory: from here on every store faults
			if err := e.Sys.Store(base+uint64(i)*ipc.PageSize, pageWord); err != nil {
				return fmt.Errorf("store %d: %w", i, err)
			}
		}
		return nil
	},
	Op: func(e *Env, i int) error {
		return e.Sys.Store(e.State.(uint64)+uint64(i%pagefaultPages)*ipc.PageSize, pageWord)
	},
	VirtualOps: 1000,
}

var pageWord = []byte("pagefalt")
