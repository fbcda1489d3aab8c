package net

import (
	"errors"
	"net"

	"github.com/mkos/mkos/internal/netstack"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/ipc/nicproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Notification bits the server takes besides death notices.
const (
	// TimerBit is the stack's next timer (SetTimer).
	TimerBit uint64 = 1 << 8
	// RxBit is the NIC driver's "frames wait" (nicproto.RxBit).
	RxBit = nicproto.RxBit
)

// Server is the net server: the stack, the handles programs hold on its
// sockets, and the calls that wait.
type Server struct {
	cfg Config
	st  *netstack.Stack
	// epoch tells this instance's handles from a previous one's
	// (handles.go); seq numbers the handles.
	epoch, seq uint64

	handles map[netproto.Handle]*handle
	socks   map[netstack.Sock]*sock
	// held indexes the handles by the tasks that hold them (exit.go).
	held streamproto.Holders[netproto.Handle]

	nic     nicproto.Client
	hasNIC  bool
	timerAt int64 // the deadline of the armed timer; 0 none
	// link counts the frames that crossed the NIC, for Interfaces.
	link linkCounters
	// pollers are the armed Ready requests (io.go), woken by settle.
	pollers streamproto.Pollers
	// startErr is why the stack could not start (every request fails
	// with ENETDOWN then).
	startErr error
}

// linkCounters are eth0's counters as the server sees them.
type linkCounters struct {
	txFrames, rxFrames, txBytes, rxBytes, txErrors, drops uint64
}

// New returns a net server for cfg; the stack starts with the server
// (Start), on the kernel's virtual time.
func New(cfg Config) *Server {
	return &Server{
		cfg:     cfg.withDefaults(),
		handles: map[netproto.Handle]*handle{},
		socks:   map[netstack.Sock]*sock{},
		held:    map[ipc.Endpoint]map[netproto.Handle]bool{},
	}
}

// Start builds the stack, seeded from the configuration and the kernel,
// and looks up the NIC driver. It runs once per instance: a restarted
// server is a new Server with a new stack, so every connection of the
// old one is gone (its peers see a reset when they next send).
func (s *Server) Start(ctx *ipc.Ctx) {
	if s.st != nil {
		s.st.Destroy() // started twice: the first stack's goroutines must not outlive it
		s.st = nil
	}
	r := ctx.Sys.Rand()
	s.epoch = r>>56 | 1 // never 0, so a zero word is never a handle
	cfg := s.cfg
	if cfg.NIC != "" {
		if dst, err := ipc.Dial(ctx.Sys, cfg.NIC); err == nil {
			s.nic, s.hasNIC = nicproto.Client{Sys: ctx.Sys, Dst: dst, TimeoutNs: NICTimeoutNs}, true
			if card, err := s.nic.Info(); err == nil {
				cfg.MAC, cfg.MTU = net.HardwareAddr(card.MAC[:]).String(), card.MTU // the stack speaks as the card
				s.cfg = cfg
			}
		}
	}
	st, err := netstack.New(cfg.stackConfig(r))
	if err != nil {
		s.startErr = err
		return
	}
	s.st = st
	s.st.Advance(ctx.Sys.Now())
	if s.hasNIC {
		s.receive(ctx) // frames that came while no one listened
	}
	s.settle(ctx, &call{caller: ipc.KernelEndpoint})
}

// Close stops the stack and its goroutines: the instance is dead or the
// system ends. Its sockets are closed abruptly; the server must not be
// used after.
func (s *Server) Close() {
	if s.st != nil {
		s.st.Destroy()
		s.st = nil
	}
	s.startErr = errClosed
}

// errClosed is the start error of a closed server.
var errClosed = errors.New("net: the server was closed")

// start starts the stack on the first request of a server placed where
// Start is not called.
func (s *Server) start(ctx *ipc.Ctx) bool {
	if s.st == nil && s.startErr == nil {
		s.Start(ctx)
	}
	return s.st != nil
}

// Handle serves one request: a socket call (netproto) or a stream call on
// a socket (streamproto). Calls that must wait are parked (io.go) and
// answered later.
func (s *Server) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if !s.start(ctx) {
		return ipc.ErrorReply(req, linux.ENETDOWN)
	}
	c := &call{caller: ctx.Caller}
	s.st.Advance(ctx.Sys.Now())
	rep := s.dispatch(ctx, req, c)
	s.settle(ctx, c)
	if c.answered {
		return c.rep
	}
	return rep
}

// dispatch routes a request to its handler.
func (s *Server) dispatch(ctx *ipc.Ctx, req *ipc.Message, c *call) ipc.Message {
	switch req.Type {
	case netproto.Socket:
		return s.socket(ctx, req)
	case netproto.Interfaces, netproto.Sockets, netproto.Routes:
		return s.view(ctx, req)
	case streamproto.Open:
		return ipc.ErrorReply(req, linux.ENOENT) // sockets have no names
	}
	if !known(req.Type) {
		return ipc.ErrorReply(req, linux.ENOSYS)
	}
	h := netproto.Handle(req.Word(0))
	hd, errno := s.lookup(h, ctx.Caller)
	if errno != 0 {
		return s.refuse(req, h, errno)
	}
	s.use(h, hd, ctx.Caller)
	switch req.Type {
	case netproto.Bind, netproto.Connect:
		return s.address(ctx, req, hd, c)
	case netproto.Listen:
		return s.listen(req, hd)
	case netproto.Accept, netproto.RecvFrom, netproto.SendTo, streamproto.Read, streamproto.Write:
		return s.transfer(ctx, req, hd, c)
	case netproto.Shutdown:
		return s.shutdown(req, hd)
	case netproto.SockName, netproto.PeerName:
		return s.name(req, hd)
	case netproto.SetFlags:
		return s.setFlags(req, hd)
	case streamproto.Close:
		s.closeHandle(ctx, h, hd, c)
		return ipc.Reply(req)
	case streamproto.Dup:
		return s.dup(ctx, req, hd)
	case streamproto.Ready:
		return s.readyArm(req, h, hd, ctx.Caller)
	}
	return ipc.ErrorReply(req, linux.ENOTTY) // Ioctl: not a terminal
}

// known reports whether t is a request on a handle the server serves.
func known(t ipc.Type) bool {
	switch t {
	case streamproto.Read, streamproto.Write, streamproto.Close, streamproto.Dup,
		streamproto.Ioctl, streamproto.Ready:
		return true
	}
	return t >= netproto.Bind && t <= netproto.SetFlags
}

// Notified runs the stack's timers (TimerBit) and takes the frames the
// NIC driver has for it (RxBit).
func (s *Server) Notified(ctx *ipc.Ctx, bits uint64) {
	if !s.start(ctx) {
		return
	}
	if bits&TimerBit != 0 {
		s.timerAt = 0
	}
	s.st.Advance(ctx.Sys.Now())
	if bits&RxBit != 0 && s.hasNIC {
		s.receive(ctx)
	}
	s.settle(ctx, &call{caller: ipc.KernelEndpoint})
}

// settle brings the server to rest after an event: it runs the stack
// until nothing is due now (loopback packets, zero-delay timers), answers
// the parked calls that can go on, sends the frames the stack queued to
// the NIC driver, and arms the timer for the stack's next deadline.
func (s *Server) settle(ctx *ipc.Ctx, c *call) {
	now := ctx.Sys.Now()
	for round := 0; round < maxRounds; round++ {
		at, ok := s.st.NextTimer()
		due := ok && at <= now
		if due {
			s.st.Advance(now)
		}
		moved := s.pump(ctx, c)
		s.transmit(ctx)
		if !due && !moved {
			break
		}
	}
	s.pollers.Wake(ctx.Sys, s.handleReady)
	s.arm(ctx, now)
}

// maxRounds bounds settle's rounds; what is left waits for the timer.
const maxRounds = 64

// arm sets the kernel timer to the stack's next deadline (at least 1 ns
// ahead, so a busy stack cannot hold the CPU).
func (s *Server) arm(ctx *ipc.Ctx, now int64) {
	at, ok := s.st.NextTimer()
	if !ok {
		return // a timer armed earlier only wakes the server to find nothing due
	}
	at = max(at, now+1)
	if s.timerAt != 0 && s.timerAt <= at {
		return
	}
	if ctx.Sys.SetTimer(at, TimerBit) == nil {
		s.timerAt = at
	}
}

// receive takes every frame waiting in the NIC driver into the stack.
func (s *Server) receive(ctx *ipc.Ctx) {
	s.nic.Sys = ctx.Sys // placed in the kernel, each request runs on its caller's Sys
	buf := make([]byte, ipc.MaxBulk)
	for range maxRxBatches {
		frames, err := s.nic.Recv(buf, 0)
		if err != nil {
			return // EAGAIN: none left; another error: the next RxBit tries again
		}
		for _, f := range frames {
			s.link.rxFrames++
			s.link.rxBytes += uint64(len(f))
			s.st.Inject(f)
		}
	}
}

// NICTimeoutNs bounds each request to the NIC driver in virtual time. A
// hung driver then costs the net server one timeout per batch of frames
// (dropped and counted; TCP retransmits them) instead of hanging it too:
// net keeps answering its programs and rs's pings while rs restarts the
// driver. It is well below rs's ping timeout (1 s).
const NICTimeoutNs = 20_000_000

// maxRxBatches bounds the batches one receive takes, so a flood cannot
// hold the server; the driver notifies again for the rest.
const maxRxBatches = 64

// transmit hands the frames the stack queued to the NIC driver, or drops
// them (counted) when there is no NIC.
func (s *Server) transmit(ctx *ipc.Ctx) {
	s.nic.Sys = ctx.Sys // placed in the kernel, each request runs on its caller's Sys
	nicHung := false
	for _, f := range s.st.Drain() {
		if !s.hasNIC || nicHung {
			s.link.drops++
			continue
		}
		if err := s.nic.Send(f); err != nil {
			s.link.txErrors++ // TCP retransmits
			if errors.Is(err, ipc.ErrTimeout) {
				nicHung = true // the rest of the batch would wait as long
			}
			continue
		}
		s.link.txFrames++
		s.link.txBytes += uint64(len(f))
	}
}

// call is the request Handle serves: a parked call answered while it is
// being served gets Handle's return value instead of a Reply.
type call struct {
	caller   ipc.Endpoint
	answered bool
	rep      ipc.Message
}

// answer replies to a parked call: through Handle's return value when it
// is the caller being served, else with Sys.Reply (which fails, and is
// ignored, when the caller is gone).
func answer(ctx *ipc.Ctx, c *call, to ipc.Endpoint, rep ipc.Message) {
	if to == c.caller && !c.answered {
		c.rep, c.answered = rep, true
		return
	}
	_ = ctx.Sys.Reply(to, &rep)
}
