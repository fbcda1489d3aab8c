package pipe

import (
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Holders that die. LECTURE: pipe-exit
//
// A program killed while it holds a pipe end never closes it: its reader
// would wait for end of file forever, its writer never learn that no one
// reads. So the server keeps, for each handle, the tasks that hold it,
// watches exits (ipc.ExitWatcher), and when the last holder of a handle
// dies closes it as Close would: readers see end of file when the last
// write handle goes, writers EPIPE when the last read handle goes.
//
// Who holds a handle: the task that made it (Pipe, Dup), until another
// task uses it first (Read, Write, Dup of it, Close), and every task that
// has used it. So a handle a parent duplicates for a child (ulib's
// inherited descriptors) is the child's once the child has used it — and
// ulib's child adopts its inherited pipe handles as it starts
// (user/ulib/inherit.go) — and goes when the child dies, though the
// parent lives on; several tasks that share one handle keep it open while
// any of them lives. A parent killed between making a handle for a child
// and the child's start takes it with it. When the kernel had to drop
// notices, the server asks the kernel about every holder and closes what
// only dead ones held.

// use records that caller uses the handle req names, if it is one.
func (s *Server) use(req *ipc.Message, caller ipc.Endpoint) {
	switch req.Type {
	case streamproto.Read, streamproto.Write, streamproto.Close, streamproto.Dup:
	default:
		return
	}
	h := streamproto.Handle(req.Word(0))
	e, ok := s.handles[h]
	if !ok {
		return
	}
	s.held.Use(h, &e.users, &e.made, caller)
}

// Exited lets dead task go of its handles, closing those no live task
// holds any more, or does so for every dead holder when task is ipc.Any
// (notices were lost); it forgets the reads and writes task waited in.
func (s *Server) Exited(ctx *ipc.Ctx, task ipc.Endpoint) {
	dead := []ipc.Endpoint{task}
	if task == ipc.Any {
		dead = dead[:0]
		for _, t := range sortedKeys(s.held) {
			if !ipc.Alive(ctx.Sys, t) {
				dead = append(dead, t)
			}
		}
	}
	if task == ipc.Any {
		s.pollers.Prune(ctx.Sys)
	}
	c := &call{caller: ipc.KernelEndpoint}
	for _, t := range dead {
		s.pollers.Exited(t)
		for _, h := range sortedKeys(s.held[t]) {
			e := s.handles[h]
			if e == nil {
				continue // closed meanwhile (in the kernel, by a caller that ran during a pump)
			}
			s.held.Unhold(h, t)
			e.users = slices.DeleteFunc(e.users, func(u ipc.Endpoint) bool { return u == t })
			e.p.forget(t)
			if len(e.users) == 0 {
				s.drop(h, e)
			}
			s.pump(ctx, e.p, c)
		}
	}
	s.pollers.Wake(ctx.Sys, s.readiness)
}

// forget drops task's waiting reads and writes.
func (p *pipe) forget(task ipc.Endpoint) {
	gone := func(w *waiter) bool { return w.caller == task }
	p.rwait = slices.DeleteFunc(p.rwait, gone)
	p.wwait = slices.DeleteFunc(p.wwait, gone)
}

// Held returns how many open handles task holds, for tests and listings.
func (s *Server) Held(task ipc.Endpoint) int { return len(s.held[task]) }

// Open returns how many handles are open.
func (s *Server) Open() int { return len(s.handles) }

// sortedKeys returns m's keys in increasing order.
func sortedKeys[K ~uint64, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
