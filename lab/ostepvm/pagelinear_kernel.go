package ostepvm

import (
	"fmt"
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel"
)

// The kernel's answers for paging-linear-translate. LECTURE: ostep-mmu
//
// When the script's pages are the kernel's (-P 4k, the default), its
// answers come from mkos's MMU: a kernel with as many frames as the
// script's physical memory, a pager that maps each valid virtual page to
// the frame the script drew for it, and a task whose page table that
// builds. Each address is then walked through that page table by the
// kernel (kernel.Translate): directory entry, table entry, frame plus
// offset, or a fault where the entry is not present.

// kernelPageSize is the only page size the kernel's MMU has.
const kernelPageSize = ipc.PageSize

// tablePager is the pager of that kernel: a fault at a valid page maps
// the frame the script drew for it; any other fault is refused.
type tablePager struct {
	pt     []int64  // the script's page table: frame by virtual page, -1 invalid
	frames []uint32 // frames 0 to the highest pt names, taken at the first fault
}

func (p *tablePager) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if req.Type != ipc.PageFault {
		return ipc.ErrorReply(req, linux.ENOSYS)
	}
	if p.frames == nil {
		// Take the frames now: the kernel hands them out lowest first,
		// so frame number u is the script's frame u.
		for range slices.Max(p.pt) + 1 {
			a := ipc.VMRequest{Op: ipc.VMAlloc}
			if err := ctx.Sys.VM(&a); err != nil {
				return ipc.ErrorReply(req, ipc.ErrnoOf(err))
			}
			p.frames = append(p.frames, a.Frame)
		}
	}
	va, space := req.Word(0), ipc.Endpoint(req.Word(2))
	vpn := va / kernelPageSize
	if vpn >= uint64(len(p.pt)) || p.pt[vpn] < 0 {
		return ipc.ErrorReply(req, linux.EFAULT)
	}
	m := ipc.VMRequest{Op: ipc.VMMap, Task: space, VA: va, Frame: p.frames[p.pt[vpn]], Prot: ipc.ProtRead}
	if err := ctx.Sys.VM(&m); err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	return ipc.Reply(req)
}

// kernelWalk is one address's walk by the kernel: the physical address,
// or fault.
type kernelWalk struct {
	pa    uint64
	fault bool
}

// kernelTranslate boots a kernel with frames frames, builds pt in a task's
// page table by touching each valid page (a page fault the pager serves),
// and has the kernel walk that page table for each address of vas.
func kernelTranslate(pt []int64, frames int64, vas []uint64) ([]kernelWalk, error) {
	k, err := kernel.New(kernel.Config{Seed: 1, Memory: kernel.MemConfig{Frames: int(frames), TLBEntries: -1}})
	if err != nil {
		return nil, err
	}
	if _, err := k.Place("mm", &tablePager{pt: pt}); err != nil {
		return nil, err
	}
	var walks []kernelWalk
	var failed error
	_, err = k.Spawn(ipc.TaskSpec{Name: "process", Body: func(sys ipc.Sys) {
		var b [1]byte
		for vpn, f := range pt {
			if f < 0 {
				continue
			}
			if failed = sys.Load(uint64(vpn)*kernelPageSize, b[:]); failed != nil {
				return
			}
		}
		for _, va := range vas {
			_, pa, err := k.Translate(sys.Self(), va)
			if err != nil && ipc.ErrnoOf(err) != ipc.ErrFault {
				failed = fmt.Errorf("walk %#x: %w", va, err)
				return
			}
			walks = append(walks, kernelWalk{pa: pa, fault: err != nil})
		}
	}})
	if err != nil {
		return nil, err
	}
	if err := k.Run(); err != nil {
		return nil, err
	}
	if failed == nil && len(walks) != len(vas) {
		failed = fmt.Errorf("the task died building its page table")
	}
	return walks, failed
}
