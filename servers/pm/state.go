package pm

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/mkos/mkos/ipc"
)

// Live update (ipc.Stateful): the process table moves whole — every
// process as its Store record (persist.go), the next pid — with what a
// restart loses: the Waits blocked in pm. The kernel hands their callers
// to the new instance with the service, so a shell waiting for its child
// during `svc update pm` is answered by the new pm when the child exits.

// stateVersion is the layout of pmState.
const stateVersion = 1

type pmState struct {
	Procs   [][]byte // each proc as JSON, by pid
	Next    int
	Waiters []waitRec // by pid
}

type waitRec struct {
	Pid      int
	Task     ipc.Endpoint
	WaitPid  int
	WaitOpts int
}

// State returns the process table and the blocked Waits.
func (s *Server) State() (int, []byte, error) {
	if len(s.fx) > 0 {
		return 0, nil, fmt.Errorf("pm: %d effects not carried out: not quiescent", len(s.fx))
	}
	st := pmState{Next: s.t.next}
	for _, pid := range s.t.pids {
		b, err := json.Marshal(s.t.get(pid))
		if err != nil {
			return 0, nil, err
		}
		st.Procs = append(st.Procs, b)
	}
	pids := make([]int, 0, len(s.waiters))
	for pid := range s.waiters {
		pids = append(pids, pid)
	}
	slices.Sort(pids)
	for _, pid := range pids {
		w := s.waiters[pid]
		st.Waiters = append(st.Waiters, waitRec{Pid: pid, Task: w.task, WaitPid: w.pid, WaitOpts: w.opts})
	}
	return ipc.StateJSON(stateVersion, &st)
}

// Restore takes the predecessor's table instead of reading the Store.
func (s *Server) Restore(version int, data []byte) error {
	var st pmState
	if err := ipc.RestoreJSON("pm", stateVersion, version, data, &st); err != nil {
		return err
	}
	if len(st.Procs) > s.opts.MaxProcs {
		return fmt.Errorf("pm: %d processes, this instance holds %d", len(st.Procs), s.opts.MaxProcs)
	}
	t := newTable(s.opts.MaxProcs)
	for _, b := range st.Procs {
		p := &proc{}
		if err := json.Unmarshal(b, p); err != nil || p.Pid <= 0 || t.get(p.Pid) != nil {
			return fmt.Errorf("pm: a process record that does not read: %q", b)
		}
		t.add(p)
	}
	if st.Next >= 1 {
		t.next = st.Next
	}
	s.t, s.loaded = t, true
	s.waiters = map[int]waiter{}
	for _, w := range st.Waiters {
		s.waiters[w.Pid] = waiter{task: w.Task, pid: w.WaitPid, opts: w.WaitOpts}
	}
	return nil
}

var _ ipc.Stateful = (*Server)(nil)
