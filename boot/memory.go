package boot

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
)

// The run summary's memory section: what each task did with memory. It is
// there only when some task touched memory (the kernel sent mm a page
// fault), so a run that never does prints as it always did.
//
// Two sources, as for ps and top (see ipc/mmproto): the kernel's counters
// of each live task (resident pages, minor and major faults, TLB hits and
// misses) and mm's of every task it served, live or found dead. The
// kernel forgets a task's counters when it dies, so for a task that is
// gone the faults are mm's and the TLB's are unknown ("-"). mm's come
// from the instance boot built last (memReporter), read once the run is
// over; with no such instance the section lists the live tasks only.

// memReporter is what the memory manager (servers/mm) tells the summary.
type memReporter interface {
	Stats() mmproto.Stats
	TaskStats() []mmproto.TaskStats
}

// MemorySummary is the memory section; absent when no task touched
// memory.
type MemorySummary struct {
	Frames     int            `json:"frames"`      // physical frames
	FramesUsed int            `json:"frames_used"` // frames in use at the end
	Faults     int64          `json:"page_faults"` // faults the kernel sent mm
	MM         *mmproto.Stats `json:"mm,omitempty"`
	Tasks      []TaskMemory   `json:"tasks"`
}

// TaskMemory is one task's line.
type TaskMemory struct {
	Task      string `json:"task"` // its name while it lives, its endpoint once gone
	Exited    bool   `json:"exited"`
	Resident  int    `json:"resident_pages"`
	Minor     int64  `json:"minor_faults"`
	Major     int64  `json:"major_faults"`
	Segv      int64  `json:"segv"`
	TLBKnown  bool   `json:"tlb_known"` // the kernel still had the task's TLB counters
	TLBHits   int64  `json:"tlb_hits"`
	TLBMisses int64  `json:"tlb_misses"`
}

// TLBHitRate returns the share of accesses the TLB answered, in percent;
// false when unknown or there were none.
func (t *TaskMemory) TLBHitRate() (float64, bool) {
	n := t.TLBHits + t.TLBMisses
	if !t.TLBKnown || n == 0 {
		return 0, false
	}
	return 100 * float64(t.TLBHits) / float64(n), true
}

// noteServer keeps the memory manager's instance srv, if it is one.
func (s *System) noteServer(srv ipc.Server) ipc.Server {
	if r, ok := srv.(memReporter); ok {
		s.mem = r
	}
	return srv
}

func (s *System) memorySummary() *MemorySummary {
	k := s.Kernel
	if k.Stats().PageFaults == 0 {
		return nil
	}
	m := &MemorySummary{Frames: k.Config().Memory.Frames, FramesUsed: len(k.FrameTable()), Faults: k.Stats().PageFaults}
	seen := map[ipc.Endpoint]bool{}
	if s.mem != nil {
		st := s.mem.Stats()
		m.MM = &st
		for _, ts := range s.mem.TaskStats() {
			if !seen[ts.Task] {
				seen[ts.Task] = true
				m.Tasks = append(m.Tasks, s.taskMemory(ts))
			}
		}
	}
	for _, t := range k.Tasks() {
		ms := k.MemStats(t.Endpoint())
		if !seen[t.Endpoint()] && ms != (ipc.MemStats{}) {
			m.Tasks = append(m.Tasks, s.taskMemory(mmproto.TaskStats{Task: t.Endpoint()}))
		}
	}
	return m
}

// taskMemory is the line of the task mm describes with ts: the kernel's
// counters while the task lives, mm's once it is gone.
func (s *System) taskMemory(ts mmproto.TaskStats) TaskMemory {
	t := s.Kernel.Task(ts.Task)
	if t == nil {
		return TaskMemory{Task: ts.Task.String(), Exited: true, Minor: ts.Minor, Major: ts.Major, Segv: ts.Segv}
	}
	ms := s.Kernel.MemStats(ts.Task)
	return TaskMemory{Task: t.Name(), Resident: ms.Resident, Minor: ms.MinorFaults, Major: ms.MajorFaults, Segv: ts.Segv,
		TLBKnown: true, TLBHits: ms.TLBHits, TLBMisses: ms.TLBMisses}
}

// write prints the section.
func (m *MemorySummary) write(w io.Writer) {
	fmt.Fprintf(w, "memory: %d page faults, %d of %d frames in use", m.Faults, m.FramesUsed, m.Frames)
	if st := m.MM; st != nil {
		fmt.Fprintf(w, "; mm: %d faults served (%d major), %d refused, %d evictions, %d swap-outs",
			st.Faults, st.Major, st.Segv, st.Evictions, st.SwapOuts)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "task\tresident\tminor\tmajor\tsegv\ttlb hits\ttlb misses\thit rate\t")
	for _, t := range m.Tasks {
		name, hits, misses, rate := t.Task, "-", "-", "-"
		if t.Exited {
			name += " (exited)"
		}
		if t.TLBKnown {
			hits, misses = fmt.Sprint(t.TLBHits), fmt.Sprint(t.TLBMisses)
		}
		if r, ok := t.TLBHitRate(); ok {
			rate = fmt.Sprintf("%.1f%%", r)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t\n", name, t.Resident, t.Minor, t.Major, t.Segv, hits, misses, rate)
	}
	tw.Flush()
}
