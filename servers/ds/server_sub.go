package ds

import (
	"errors"
	"slices"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// subscriber is a task that watches key prefixes: one queue of changes for
// all its prefixes. LECTURE: ds-subscriptions
//
//  1. Subscribe records the caller's endpoint, its bits and a prefix; the
//     client stub subscribes the caller to its notice topic on the bus
//     with those bits (dsproto/notice.go).
//  2. A Put or Delete of a key under one of the prefixes appends a Change
//     to the queue; when the queue was empty, the server publishes on the
//     subscriber's notice topic, which notifies it with its bits (one
//     notice per batch, not per change).
//  3. The subscriber calls Changes until none are left; the next change
//     then lands in an empty queue and notifies again.
//  4. A full queue drops the change and sets overflow, which the next
//     Changes reports and clears.
//  5. A subscriber that died is dropped when the kernel says so (the
//     kernel/exit topic, or Exited placed in the kernel), or when the
//     table is full and a new subscriber needs its place.
type subscriber struct {
	ep       ipc.Endpoint
	bits     uint64
	prefixes []string // sorted, no duplicates
	queue    []dsproto.Change
	overflow bool // changes were dropped since the last Changes (the queue is full)
}

// watches reports whether key is under one of the subscriber's prefixes.
func (sub *subscriber) watches(key string) bool {
	for _, p := range sub.prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// Subscribers returns the number of subscribers.
func (s *Server) Subscribers() int { return len(s.subs) }

// find returns the subscriber at ep, or nil.
func (s *Server) find(ep ipc.Endpoint) *subscriber {
	for _, sub := range s.subs {
		if sub.ep == ep {
			return sub
		}
	}
	return nil
}

// drop removes the subscriber at ep.
func (s *Server) drop(ep ipc.Endpoint) {
	s.subs = slices.DeleteFunc(s.subs, func(sub *subscriber) bool { return sub.ep == ep })
}

// subscribe adds a prefix to the caller's subscription.
func (s *Server) subscribe(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	bits := req.Word(1)
	if err := dsproto.CheckBits(bits); err != nil {
		return errReply(req, err)
	}
	prefix, err := s.readPrefix(ctx, req.Word(0))
	if err != nil {
		return errReply(req, err)
	}
	sub := s.find(ctx.Caller)
	if sub == nil {
		if len(s.subs) >= s.opt.MaxSubscribers {
			s.sweep(ctx)
		}
		if len(s.subs) >= s.opt.MaxSubscribers {
			return ipc.ErrorReply(req, linux.ENOSPC)
		}
		sub = &subscriber{ep: ctx.Caller}
		s.subs = append(s.subs, sub)
	}
	i, found := slices.BinarySearch(sub.prefixes, prefix)
	if !found && len(sub.prefixes) >= s.opt.MaxPrefixes {
		return ipc.ErrorReply(req, linux.ENOSPC)
	}
	if !found {
		sub.prefixes = slices.Insert(sub.prefixes, i, prefix)
	}
	sub.bits = bits
	return ipc.Reply(req)
}

// unsubscribe removes a prefix from the caller's subscription.
func (s *Server) unsubscribe(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	prefix, err := s.readPrefix(ctx, req.Word(0))
	if err != nil {
		return errReply(req, err)
	}
	sub := s.find(ctx.Caller)
	if sub == nil {
		return ipc.ErrorReply(req, linux.ENOENT)
	}
	i, found := slices.BinarySearch(sub.prefixes, prefix)
	if !found {
		return ipc.ErrorReply(req, linux.ENOENT)
	}
	sub.prefixes = slices.Delete(sub.prefixes, i, i+1)
	if len(sub.prefixes) == 0 {
		s.drop(sub.ep)
	}
	return ipc.Reply(req)
}

// changes copies the oldest queued changes of the caller into its receive
// window, and takes them off the queue once they are there.
func (s *Server) changes(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	win, err := window(req.Word(0))
	if err != nil {
		return errReply(req, err)
	}
	sub := s.find(ctx.Caller)
	if sub == nil {
		return ipc.ErrorReply(req, linux.ESTALE)
	}
	n := 0
	s.out = s.out[:0]
	for _, c := range sub.queue {
		if len(s.out)+dsproto.ChangeHeader+len(c.Key) > win {
			break
		}
		s.out = dsproto.AppendChange(s.out, c)
		n++
	}
	if err := writeOut(ctx, s.out); err != nil {
		return errReply(req, err) // nothing taken: the changes stay queued
	}
	sub.queue = slices.Delete(sub.queue, 0, n)
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(n))
	rep.SetWord(1, uint64(len(s.out)))
	rep.SetWord(2, b2u(len(sub.queue) > 0))
	rep.SetWord(3, b2u(sub.overflow))
	sub.overflow = false
	return rep
}

// changed queues a change of key for every subscriber that watches it and
// announces it to those whose queue was empty: a publication on the
// subscriber's notice topic (dsproto.NoticeTopic), which the kernel turns
// into a notification with the subscriber's bits. Every queue is updated
// before the first publication: a publication is a trap, at which the
// server may be killed (or, placed in the kernel, entered by another
// task), so the tables must be whole by then. A dead subscriber's topic
// has no subscriber left (its subscription died with it): the publication
// reaches no one, and ds drops the queue when it hears of the death.
func (s *Server) changed(ctx *ipc.Ctx, op dsproto.Op, key string) {
	var notices []ipc.Endpoint
	for _, sub := range s.subs {
		if !sub.watches(key) {
			continue
		}
		if len(sub.queue) >= s.opt.QueueLen {
			sub.overflow = true
			continue
		}
		if len(sub.queue) == 0 {
			notices = append(notices, sub.ep)
		}
		sub.queue = append(sub.queue, dsproto.Change{Op: op, Key: key})
	}
	for _, ep := range notices {
		m := ipc.Message{Type: dsproto.Changes}
		_ = ipc.Publish(ctx.Sys, dsproto.NoticeTopic(ep), &m) // ds may publish on ds/…
	}
}

// sweep drops the subscribers that died, found by a notification of no
// bits: harmless to the living, ESRCH for the dead.
func (s *Server) sweep(ctx *ipc.Ctx) {
	eps := make([]ipc.Endpoint, len(s.subs))
	for i, sub := range s.subs {
		eps[i] = sub.ep
	}
	for _, ep := range eps {
		if err := ctx.Sys.Notify(ep, 0); errors.Is(err, ipc.ErrDead) {
			s.drop(ep)
		}
	}
}

// Exited drops dead task's subscription, or every dead subscriber's when
// task is ipc.Any (the kernel dropped notices): ds watches exits
// (ipc.ExitWatcher), so a subscriber that dies frees its place at once.
// A ds that hears of deaths on the kernel/exit topic (exits.go) ignores
// the notices: one is placed in the kernel, which may not subscribe.
func (s *Server) Exited(ctx *ipc.Ctx, task ipc.Endpoint) {
	if s.exitTopic {
		return // the topic says it (exits.go)
	}
	if task == ipc.Any {
		s.sweep(ctx)
		return
	}
	s.drop(task)
}
