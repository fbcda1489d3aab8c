package net

import (
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/netproto"
)

// Holders that die. LECTURE: net-exit
//
// As the pipe server does (servers/pipe/exit.go): the server keeps, for
// each handle, the tasks that hold it — its maker until another task uses
// it, and every task that has used it — watches exits, and closes a
// handle when its last holder dies, so a killed program's connections
// are closed (its peer reads end of file) and its listening ports freed.
// The parked calls of a dead task are forgotten.

// use records that caller uses handle h (streamproto.Holders.Use).
func (s *Server) use(h netproto.Handle, hd *handle, caller ipc.Endpoint) {
	if caller != ipc.KernelEndpoint {
		s.held.Use(h, &hd.users, &hd.made, caller)
	}
}

// Exited lets dead task go of its handles, closing those no live task
// holds, or does so for every dead holder when task is ipc.Any (notices
// were lost); it forgets the calls task had parked.
func (s *Server) Exited(ctx *ipc.Ctx, task ipc.Endpoint) {
	if s.st == nil {
		return
	}
	dead := []ipc.Endpoint{task}
	if task == ipc.Any {
		dead = dead[:0]
		for _, t := range sortedKeys(s.held) {
			if !ipc.Alive(ctx.Sys, t) {
				dead = append(dead, t)
			}
		}
	}
	c := &call{caller: ipc.KernelEndpoint}
	s.st.Advance(ctx.Sys.Now())
	if task == ipc.Any {
		s.pollers.Prune(ctx.Sys)
	}
	for _, t := range dead {
		s.pollers.Exited(t)
		for _, so := range s.socks {
			so.waiting = slices.DeleteFunc(so.waiting, func(w *waiter) bool { return w.caller == t })
		}
		for _, h := range sortedKeys(s.held[t]) {
			hd := s.handles[h]
			if hd == nil {
				continue
			}
			s.held.Unhold(h, t)
			hd.users = slices.DeleteFunc(hd.users, func(u ipc.Endpoint) bool { return u == t })
			if len(hd.users) == 0 {
				s.closeHandle(ctx, h, hd, c)
			}
		}
	}
	s.settle(ctx, c)
}

// Held returns how many handles task holds, for tests and listings.
func (s *Server) Held(task ipc.Endpoint) int { return len(s.held[task]) }

// Open returns how many handles are open.
func (s *Server) Open() int { return len(s.handles) }

// sortedKeys returns m's keys in increasing order.
func sortedKeys[K ~uint64 | ~uint32, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
