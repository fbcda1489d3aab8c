//go:build !js

package cluster

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/mkos/mkos/ipc/gatewayproto"
	"github.com/mkos/mkos/kernel"
)

// settleWaitMax bounds how long (host time) Settle waits for frames
// published in the same process to arrive: they always do, unless NATS
// itself lost them.
const settleWaitMax = 10 * time.Second

// source is the cluster's kernel.Source: it posts what NATS delivered
// into the nodes' kernels. LECTURE: cluster-settle
//
//  1. A gateway publishes a frame through its bridge, which counts it and
//     tells the group (Outbound) so its kernel stops before the frame can
//     be due anywhere.
//  2. Between two turns, while no kernel runs, the group calls Settle. In
//     one process (not live), Settle waits until every frame published so
//     far has arrived (received == published).
//  3. It orders the arrivals by (due time, node, sender, sequence): due
//     time is the virtual send time + the hop latency (+ the receiving
//     node's slow-link delay). Host timing cannot change that order.
//  4. It posts each into its node's kernel at its due time; there it is
//     appended to the bridge's delivered queue and the gateway notified.
//
// A live source (a node in its own process) cannot know what is on its
// way: it posts what arrived so far, and when every kernel is idle it
// blocks until something arrives.
type source struct {
	w         *wire
	bridges   []*bridge
	live      bool
	warned    bool
	exporters map[string][]string
	exitIdle  bool // live: end when idle with nothing on the wire
	done      bool
}

// Settle posts the frames that arrived (kernel.Source).
func (s *source) Settle(g *kernel.Group, idle bool) bool {
	batch := s.collect(idle)
	s.bury(s.exporters)
	for i := range batch {
		s.stamp(&batch[i])
	}
	slices.SortStableFunc(batch, func(a, b arrival) int {
		return cmp.Or(cmp.Compare(a.atNs, b.atNs), cmp.Compare(a.b.index, b.b.index),
			cmp.Compare(a.from, b.from), cmp.Compare(a.seq, b.seq), cmp.Compare(a.subject, b.subject))
	})
	for _, a := range batch {
		s.post(g, a)
	}
	if s.live {
		select {
		case <-s.w.stop:
			return false
		default:
			return !s.done
		}
	}
	return false
}

// collect takes the arrivals: in one process, once every published frame
// has arrived; live, what is there (waiting for something when idle).
func (s *source) collect(idle bool) []arrival {
	w := s.w
	var batch []arrival
	take := func(m *nats.Msg) {
		w.received++
		if b := w.subs[m.Sub]; b != nil {
			batch = append(batch, b.arrival(m))
		}
	}
	for drained := false; !drained; {
		select {
		case m := <-w.ch:
			take(m)
		default:
			drained = true
		}
	}
	if !s.live && w.received < w.published.Load() {
		timer := time.NewTimer(settleWaitMax)
		defer timer.Stop()
		for w.received < w.published.Load() {
			select {
			case m := <-w.ch:
				take(m)
				continue
			case <-timer.C:
			}
			if !s.warned {
				s.warned = true
				fmt.Fprintf(os.Stderr, "mkos: cluster: %d frames lost on the wire; this run is not reproducible\n", w.published.Load()-w.received)
			}
			w.received = w.published.Load() // wait no more for them
		}
	}
	if s.live && len(batch) == 0 {
		if m, ok := s.awaitLive(idle); ok {
			take(m)
		}
	}
	return batch
}

// awaitLive blocks while nothing arrives and either every kernel is idle
// or a call of this node's is on the wire and not past its timeout in host
// time: a node in its own process cannot know when an answer will come,
// so it does not let its virtual clock run to the call's deadline while
// the answer is on its way. It returns what arrived, if anything.
func (s *source) awaitLive(idle bool) (*nats.Msg, bool) {
	deadline, waiting := s.hostDeadline()
	if idle && !waiting && s.exitIdle {
		s.done = true
		return nil, false
	}
	if !idle && !waiting {
		return nil, false
	}
	var timeout <-chan time.Time
	if waiting {
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		timeout = t.C
	}
	select {
	case m := <-s.w.ch:
		return m, true
	case <-timeout:
	case <-s.w.stop:
	}
	return nil, false
}

// hostDeadline returns the earliest host-time deadline of this process's
// calls on the wire; calls past theirs are forgotten (they time out).
func (s *source) hostDeadline() (time.Time, bool) {
	var first time.Time
	now := time.Now()
	for _, b := range s.bridges {
		for seq, t := range b.sentHost {
			if !t.After(now) {
				delete(b.sentHost, seq)
				delete(b.sent, seq)
				continue
			}
			if first.IsZero() || t.Before(first) {
				first = t
			}
		}
	}
	return first, !first.IsZero()
}

// stamp reads an arrival's ordering key from its frame.
func (s *source) stamp(a *arrival) {
	b := a.b
	answer := a.noResp
	if a.noResp {
		a.atNs, a.from = b.sent[a.seq], b.node
	} else if h, err := gatewayproto.DecodeHeader(a.data); err == nil {
		a.atNs, a.from, a.seq = h.SentNs, h.From, h.Seq
		answer = h.Kind == gatewayproto.KindReply
	}
	if answer {
		delete(b.sent, a.seq)
		delete(b.sentHost, a.seq)
	}
	if s.live {
		// Another process's virtual clock is not ours: a frame is due
		// one hop after now here.
		a.atNs = b.k.Now()
	}
	a.atNs += s.w.hopNs + b.slowNs
}

// post delivers one arrival into its node's kernel, unless the node is
// down or cut off.
func (s *source) post(g *kernel.Group, a arrival) {
	b := a.b
	if b.down || b.partitioned {
		return
	}
	d := gatewayproto.Delivery{Frame: a.data, Inbox: a.inbox, NoResponders: a.noResp, Seq: a.seq}
	g.Post(b.index, a.atNs, func(now int64) {
		b.delivered = append(b.delivered, d)
		_ = b.k.NotifyService(gatewayproto.Name, gatewayproto.NotifyFrames, now)
	})
}
