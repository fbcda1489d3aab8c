package ds

import "github.com/mkos/mkos/ipc"

// Deaths through the bus. A ds running as its own task subscribes to the
// kernel's exit topic (ipc.TopicExit) as it starts, and drops a dead
// subscriber when the topic says it died: the publication reaches every
// server that keeps per-process state with one kernel event, instead of
// the kernel keeping a notice list per watcher. When the topic's queue
// overflowed (Dropped), ds asks about every subscriber, as it does when
// exit notices were lost. Placed in the kernel, ds cannot subscribe (a
// handler has no queue of its own) and keeps the exit notices (Exited).

// exitDepth is the depth of ds's exit subscription.
const exitDepth = ipc.MaxDepth

// Start subscribes to the exit topic; without it ds keeps exit notices.
func (s *Server) Start(ctx *ipc.Ctx) {
	s.exitTopic = ipc.Subscribe(ctx.Sys, ipc.TopicExit, exitDepth) == nil
}

// BusNotified takes the exit publications queued for ds and drops the
// dead subscribers they name.
func (s *Server) BusNotified(ctx *ipc.Ctx) {
	if !s.exitTopic {
		return
	}
	for {
		r := ipc.BusRequest{Op: ipc.BusNext, Topic: ipc.TopicExit}
		if err := ctx.Sys.Bus(&r); err != nil {
			return // EAGAIN: none left
		}
		if r.Dropped > 0 {
			s.sweep(ctx)
		}
		if r.Msg.Type == ipc.ExitEvent {
			s.drop(ipc.Endpoint(r.Msg.Word(0)))
		}
	}
}
