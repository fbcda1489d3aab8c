package mm

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
)

// Per-task statistics: what mm served each task (minor, major and refused
// faults, kept in its space) and what its space holds now (resident,
// virtual and swapped pages, counted when asked). A task found dead
// leaves its counters in a short history, so that ps, top and the run
// summary can still show what it did. The TLB's counters are the
// kernel's alone (Sys.MemStats).

// maxExited bounds the history of dead tasks' counters.
const maxExited = 256

// taskStats serves TaskStats: the counters of the task Word(0), or of the
// caller.
func (s *Server) taskStats(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	task := ipc.Endpoint(req.Word(0))
	if task == 0 {
		task = ctx.Caller
	}
	if sp := s.spaces[task]; sp != nil && task != ctx.Caller {
		_, err := vm(ctx.Sys, ipc.VMQuery, task, mmproto.HeapBase)
		s.noteDead(task, err)
		if s.dead[task] {
			s.forget(ctx.Sys, task)
			delete(s.dead, task)
		}
	}
	st, ok := s.statsOf(task)
	if !ok && task != ctx.Caller {
		return ipc.ErrorReply(req, linux.ESRCH)
	}
	rep := ipc.Reply(req)
	mmproto.EncodeTaskStats(&rep, st)
	return rep
}

// statsOf returns task's counters: of its space, or from the history.
func (s *Server) statsOf(task ipc.Endpoint) (mmproto.TaskStats, bool) {
	if sp := s.spaces[task]; sp != nil {
		return s.countOf(sp), true
	}
	for i := len(s.exited) - 1; i >= 0; i-- {
		if s.exited[i].Task == task {
			return s.exited[i], true
		}
	}
	return mmproto.TaskStats{Task: task}, false
}

// countOf counts what sp holds.
func (s *Server) countOf(sp *space) mmproto.TaskStats {
	st := mmproto.TaskStats{Task: sp.task, Minor: sp.count.Minor, Major: sp.count.Major, Segv: sp.count.Segv}
	for _, r := range sp.regions {
		st.Virtual += int((r.end - r.start) / ipc.PageSize)
		for _, key := range sp.touched(r) {
			switch pg := s.pageOf(key); {
			case pg.resident && r.prot != 0:
				st.Resident++
			case !pg.resident && pg.slot >= 0:
				st.Swapped++
			}
		}
	}
	return st
}

// noteExit keeps the counters of sp, whose task is dead.
func (s *Server) noteExit(sp *space) {
	if len(s.exited) == maxExited {
		s.exited = append(s.exited[:0], s.exited[1:]...)
	}
	s.exited = append(s.exited, mmproto.TaskStats{Task: sp.task, Minor: sp.count.Minor, Major: sp.count.Major,
		Segv: sp.count.Segv, Exited: true})
}

// TaskStats returns the counters of every task mm knows, live ones in
// endpoint order, then the ones found dead, oldest first: for the run
// summary, read from the host once the run is over. mm learns of a death
// lazily (when it next touches the task's space): a task listed live may
// have died.
func (s *Server) TaskStats() []mmproto.TaskStats {
	var out []mmproto.TaskStats
	for _, task := range sortedTasks(s.spaces) {
		out = append(out, s.countOf(s.spaces[task]))
	}
	return append(out, s.exited...)
}
