package gateway

import (
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/gatewayproto"
	"github.com/mkos/mkos/ipc/linux"
)

// notifyTimer is the bit of the gateway's timer: a pending call's
// deadline passed.
const notifyTimer uint64 = 1 << 1

// DefaultTimeoutNs is how long a remote call waits for its reply when
// Options say nothing (virtual time).
const DefaultTimeoutNs = 1_000_000_000

// Options configure a gateway.
type Options struct {
	// Imports are the services that run on other nodes: the gateway
	// registers each as a remote instance.
	Imports []string
	// TimeoutNs bounds a remote call (virtual time; 0: DefaultTimeoutNs).
	TimeoutNs int64
	// Failover are imported services this node keeps as standby servers
	// (configured, not started) and may take over: when a call of one
	// finds no node exporting it any more (a node killed), the gateway
	// asks rs to start the standby here and exports it (failover.go).
	Failover []string
}

// Server is one node's gateway.
type Server struct {
	link gatewayproto.Link
	opt  Options
	// names maps the ids of the imported services to their names.
	names map[ipc.ServiceID]string
	// pending are the parked callers, by their request's sequence number.
	pending map[uint64]*pending
	seq     uint64
	timerAt int64 // the deadline the timer is set for, 0 for none
	buf     []byte
	frame   []byte
	stats   Stats
	// tookOver are the Failover services started here.
	tookOver map[string]bool
}

// pending is a caller parked while its request crosses the wire.
type pending struct {
	caller     ipc.Endpoint
	service    string // the imported service called
	typ        ipc.Type
	recvLen    int
	deadlineNs int64
	move       *moveOp // a move waiting for its target (move.go)
}

// Stats count what a gateway did.
type Stats struct {
	Out, In, Timeouts, NoResponders, BadFrames int64
	// Failovers counts the standby servers started here (failover.go).
	Failovers int64
}

// New returns a gateway over link.
func New(link gatewayproto.Link, opt Options) *Server {
	if opt.TimeoutNs <= 0 {
		opt.TimeoutNs = DefaultTimeoutNs
	}
	return &Server{link: link, opt: opt, names: map[ipc.ServiceID]string{}, pending: map[uint64]*pending{}, tookOver: map[string]bool{}}
}

// Stats returns the gateway's counters.
func (s *Server) Stats() Stats { return s.stats }

// Start registers the imported services as remote instances. A name that
// cannot be (a server placed in the kernel here) stays local.
func (s *Server) Start(ctx *ipc.Ctx) {
	for _, name := range s.opt.Imports {
		if id, err := ctx.Sys.Register(ipc.RemoteName(name)); err == nil {
			s.names[id] = name
		}
	}
}

// Handle serves a call routed to the gateway: a call of an imported
// service goes over the wire; the gateway has no requests of its own.
func (s *Server) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if name, ok := s.names[req.Service]; ok && req.Service != 0 {
		return s.outbound(ctx, name, req)
	}
	if req.Type == gatewayproto.Move {
		return s.move(ctx, req)
	}
	return ipc.ErrorReply(req, linux.ENOSYS)
}

// Notified reads the frames delivered into the kernel and expires the
// calls whose deadline passed.
func (s *Server) Notified(ctx *ipc.Ctx, bits uint64) {
	if bits&gatewayproto.NotifyFrames != 0 {
		for d, ok := s.link.Next(); ok; d, ok = s.link.Next() {
			s.deliver(ctx, &d)
		}
		s.arm(ctx)
	}
	if bits&notifyTimer != 0 {
		s.timerAt = 0
		s.expire(ctx)
	}
}

// deliver handles one frame: a request from another node, or the answer
// to one of ours.
func (s *Server) deliver(ctx *ipc.Ctx, d *gatewayproto.Delivery) {
	if d.NoResponders {
		s.stats.NoResponders++
		if p := s.pending[d.Seq]; p != nil {
			s.failover(ctx, p.service)
		}
		s.fail(ctx, d.Seq, ipc.ErrNoInstance)
		return
	}
	h, err := gatewayproto.DecodeHeader(d.Frame)
	if err != nil {
		s.stats.BadFrames++
		return
	}
	if h.Kind == gatewayproto.KindRequest {
		s.inbound(ctx, d, h)
		return
	}
	s.answer(ctx, d.Frame, h.Seq)
}

// expire fails the calls whose deadline passed with ETIMEDOUT, oldest
// first, and sets the timer for the next deadline.
func (s *Server) expire(ctx *ipc.Ctx) {
	now := ctx.Sys.Now()
	for _, seq := range s.sortedPending() {
		if s.pending[seq].deadlineNs <= now {
			s.stats.Timeouts++
			s.fail(ctx, seq, ipc.ErrTimeout)
		}
	}
	s.arm(ctx)
}

// arm sets the timer for the earliest deadline (none when nothing is
// pending).
func (s *Server) arm(ctx *ipc.Ctx) {
	var next int64
	for _, p := range s.pending {
		if next == 0 || p.deadlineNs < next {
			next = p.deadlineNs
		}
	}
	if next != s.timerAt {
		s.timerAt = next // 0: nothing to wait for, no timer to keep the kernel busy
		_ = ctx.Sys.SetTimer(next, notifyTimer)
	}
}

// sortedPending returns the pending calls' sequence numbers in order.
func (s *Server) sortedPending() []uint64 {
	seqs := make([]uint64, 0, len(s.pending))
	for seq := range s.pending {
		seqs = append(seqs, seq)
	}
	slices.Sort(seqs)
	return seqs
}

// fail answers pending call seq with errno e.
func (s *Server) fail(ctx *ipc.Ctx, seq uint64, e ipc.Errno) {
	p := s.pending[seq]
	if p == nil {
		return
	}
	delete(s.pending, seq)
	if p.move != nil {
		s.finishMove(ctx, p, e)
	}
	rep := ipc.Message{Type: p.typ, Errno: uint16(e)}
	_ = ctx.Sys.Reply(p.caller, &rep) // the caller may have died or timed out
}
