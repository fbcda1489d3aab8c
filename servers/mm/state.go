package mm

import (
	"fmt"
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
)

// Live update (ipc.Stateful). The address spaces are already kept where
// an instance's death cannot reach them: the page tables in the kernel,
// the regions and swap slots in the stash (restart.go), current at every
// quiescent point. So the successor starts as a restarted mm does, from
// the stash and the frame table, and State hands it only what a restart
// loses: the counters as they are, the policy's order (a restarted LRU
// begins as FIFO), the exited tasks' statistics, and a memory swap's
// pages (which die with a crashed mm: a restart reports them lost).

// stateVersion is the layout of mmState.
const stateVersion = 1

type mmState struct {
	Stats   mmproto.Stats
	Order   []Page // the resident pages, in the policy's order
	Exited  []mmproto.TaskStats
	MemSwap bool       // swap is in memory: its pages follow
	Swapped []swapPage // by slot
}

type swapPage struct {
	Slot int64
	Data []byte `json:"-"` // after the JSON, raw (ipc.PackState)
}

// State returns what the stash does not keep.
func (s *Server) State() (int, []byte, error) {
	if s.busy || len(s.queue) > 0 {
		return 0, nil, fmt.Errorf("mm: %d requests queued: not quiescent", len(s.queue))
	}
	st := mmState{Stats: s.stats, Order: s.pol.Resident(), Exited: s.exited}
	if m, ok := s.swap.(*MemorySwap); ok {
		st.MemSwap = true
		slots := make([]int64, 0, len(m.pages))
		for slot := range m.pages {
			slots = append(slots, slot)
		}
		slices.Sort(slots)
		for _, slot := range slots {
			st.Swapped = append(st.Swapped, swapPage{Slot: slot, Data: m.pages[slot]})
		}
	}
	pages := make([][]byte, len(st.Swapped))
	for i, p := range st.Swapped {
		pages[i] = p.Data
	}
	out, err := ipc.PackState(&st, pages)
	return stateVersion, out, err
}

// Restore keeps the predecessor's state for the start at the first
// request, which reads the stash first.
func (s *Server) Restore(version int, data []byte) error {
	if version != stateVersion {
		return fmt.Errorf("mm: state v%d, this code reads v%d", version, stateVersion)
	}
	var st mmState
	pages, err := ipc.UnpackState(data, &st)
	if err != nil {
		return fmt.Errorf("mm: %w", err)
	}
	if len(pages) != len(st.Swapped) {
		return fmt.Errorf("mm: state: %d swapped pages' contents for %d pages", len(pages), len(st.Swapped))
	}
	for i := range pages {
		st.Swapped[i].Data = pages[i]
	}
	s.handover = &st
	if st.MemSwap {
		m := &MemorySwap{pages: map[int64][]byte{}}
		for _, p := range st.Swapped {
			m.pages[p.Slot] = p.Data
		}
		s.swap = m
	}
	return nil
}

// keepsMemorySwap reports whether a memory swap's pages came with a live
// update: then a restart from the stash keeps its slots.
func (s *Server) keepsMemorySwap() bool { return s.handover != nil && s.handover.MemSwap }

// takeOver applies a live update's state after the start from the stash:
// the counters, the exited tasks, and the policy's order over the pages
// the frame table gave back.
func (s *Server) takeOver() {
	st := s.handover
	s.handover = nil
	if st == nil {
		return
	}
	s.stats, s.exited = st.Stats, st.Exited
	pol, err := NewPolicy(s.opt.Policy, s.opt.Params)
	if err != nil {
		return
	}
	if br, ok := pol.(bitReader); ok && !s.opt.ExactRefs {
		br.readBits(s.accessed)
	}
	resident := map[Page]bool{}
	for _, p := range s.pol.Resident() {
		resident[p] = true
	}
	for _, p := range st.Order {
		if resident[p] {
			pol.Insert(p)
			delete(resident, p)
		}
	}
	for _, p := range s.pol.Resident() { // adopted, not in the old order
		if resident[p] {
			pol.Insert(p)
		}
	}
	s.pol = pol
}

var _ ipc.Stateful = (*Server)(nil)
