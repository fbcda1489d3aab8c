package pipe

import (
	"fmt"
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Live update (ipc.Stateful): every pipe moves with its buffered bytes,
// its handles and who holds them, and the reads and writes that wait on
// it. The kernel hands the waiting callers to the successor with the
// service (their calls now await its reply, and it may copy through
// their windows), so a reader blocked on an empty pipe during `svc
// update pipe` is answered by the new instance when data comes.

// stateVersion is the layout of pipeState.
const stateVersion = 1

type pipeState struct {
	Seq     uint64
	Pipes   []pipeRec
	Handles []handleRec // by handle
	Held    []heldRec   // by task
}

type pipeRec struct {
	Data                  []byte // the buffered bytes, oldest first
	Capacity              int
	Readers, Writers      int
	ReadWaits, WriteWaits []waitRec
}

type waitRec struct {
	Caller  ipc.Endpoint
	N, Done int
}

type handleRec struct {
	H     streamproto.Handle
	Pipe  int // index in Pipes
	Write bool
	Users []ipc.Endpoint
	Made  bool
}

type heldRec struct {
	Task    ipc.Endpoint
	Handles []streamproto.Handle
}

// State returns every pipe, handle and waiter.
func (s *Server) State() (int, []byte, error) {
	st := pipeState{Seq: s.seq}
	index := map[*pipe]int{}
	for _, h := range sortedKeys(s.handles) {
		e := s.handles[h]
		i, ok := index[e.p]
		if !ok {
			i = len(st.Pipes)
			index[e.p] = i
			st.Pipes = append(st.Pipes, e.p.record())
		}
		st.Handles = append(st.Handles, handleRec{H: h, Pipe: i, Write: e.write, Users: e.users, Made: e.made})
	}
	tasks := make([]ipc.Endpoint, 0, len(s.held))
	for t := range s.held {
		tasks = append(tasks, t)
	}
	slices.Sort(tasks)
	for _, t := range tasks {
		st.Held = append(st.Held, heldRec{Task: t, Handles: sortedKeys(s.held[t])})
	}
	return ipc.StateJSON(stateVersion, &st)
}

// record is p as it moves.
func (p *pipe) record() pipeRec {
	r := pipeRec{Capacity: p.buf.size, Readers: p.readers, Writers: p.writers}
	for _, span := range p.buf.dataSpans(p.buf.n) {
		r.Data = append(r.Data, span...)
	}
	for _, w := range p.rwait {
		r.ReadWaits = append(r.ReadWaits, waitRec{Caller: w.caller, N: w.n, Done: w.done})
	}
	for _, w := range p.wwait {
		r.WriteWaits = append(r.WriteWaits, waitRec{Caller: w.caller, N: w.n, Done: w.done})
	}
	return r
}

// Restore rebuilds the pipes a predecessor handed over.
func (s *Server) Restore(version int, data []byte) error {
	var st pipeState
	if err := ipc.RestoreJSON("pipe", stateVersion, version, data, &st); err != nil {
		return err
	}
	if len(st.Handles) > s.opt.MaxHandles {
		return fmt.Errorf("pipe: %d handles, this instance holds %d", len(st.Handles), s.opt.MaxHandles)
	}
	pipes := make([]*pipe, len(st.Pipes))
	for i, r := range st.Pipes {
		if r.Capacity <= 0 || len(r.Data) > r.Capacity {
			return fmt.Errorf("pipe: pipe %d holds %d bytes in %d", i, len(r.Data), r.Capacity)
		}
		p := &pipe{buf: newRing(r.Capacity), ends: map[streamproto.Handle]*end{}, readers: r.Readers, writers: r.Writers}
		if len(r.Data) > 0 {
			copy(p.buf.freeSpans(len(r.Data))[0], r.Data)
			p.buf.produce(len(r.Data))
		}
		for _, w := range r.ReadWaits {
			p.rwait = append(p.rwait, &waiter{caller: w.Caller, n: w.N, done: w.Done})
		}
		for _, w := range r.WriteWaits {
			p.wwait = append(p.wwait, &waiter{caller: w.Caller, n: w.N, done: w.Done})
		}
		pipes[i] = p
	}
	s.handles = map[streamproto.Handle]*end{}
	for _, h := range st.Handles {
		if h.Pipe < 0 || h.Pipe >= len(pipes) {
			return fmt.Errorf("pipe: handle %#x on pipe %d of %d", h.H, h.Pipe, len(pipes))
		}
		e := &end{p: pipes[h.Pipe], write: h.Write, users: h.Users, made: h.Made}
		s.handles[h.H] = e
		e.p.ends[h.H] = e
	}
	s.held = map[ipc.Endpoint]map[streamproto.Handle]bool{}
	for _, r := range st.Held {
		m := map[streamproto.Handle]bool{}
		for _, h := range r.Handles {
			m[h] = true
		}
		s.held[r.Task] = m
	}
	s.seq = st.Seq
	return nil
}

var _ ipc.Stateful = (*Server)(nil)
