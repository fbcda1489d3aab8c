package mm

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc"
)

// The paging lab's two requests. In the lab every reference must reach
// the policy, hits included, and the kernel only tells mm of misses: so
// the lab's task reports each access with Ref right after making it, and
// mm (running with Options.ExactRefs) passes it to the policy as a Touch.
// Whether the access hit or missed is not the task's word: it is whether
// the kernel sent mm a fault for it, which Ref's reply reports.

// ref records the caller's reference to the page at Word(0) and reports
// what mm did for the caller since its previous Ref.
func (s *Server) ref(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	va := req.Word(0)
	sp := s.spaces[ctx.Caller]
	if sp == nil || sp.find(va) == nil {
		return ipc.ErrorReply(req, ipc.ErrFault)
	}
	r := sp.find(va)
	s.pol.Touch(sp.key(r, pageDown(va)))
	n := s.noteFor(ctx.Caller)
	rep := ipc.Reply(req)
	if n.miss {
		rep.SetWord(0, 1)
	}
	if n.evicted {
		rep.SetWord(1, 1)
		rep.SetWord(2, n.victimVA)
	}
	*n = note{}
	return rep
}

// residentPages copies the addresses of the caller's resident pages, in
// the policy's order, into its receive window.
func (s *Server) residentPages(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	var buf []byte
	for _, key := range s.pol.Resident() {
		for _, t := range s.targets(key) {
			if t.task == ctx.Caller {
				buf = binary.LittleEndian.AppendUint64(buf, t.va)
			}
		}
	}
	room := int(min(req.Word(0), ipc.MaxBulk/8)) // a count no window holds is clamped, never converted first
	buf = buf[:min(len(buf), room*8)]
	n, err := ctx.CopyOut(0, buf)
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(n/8))
	return rep
}
