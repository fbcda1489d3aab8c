package autoscale

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/autoscaleproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
)

// Options configure the autoscaler.
type Options struct {
	Targets []Target
	// PeriodNs is the virtual time between two looks (default 10 ms).
	PeriodNs int64
	Hysteresis
}

// Decision is one change the autoscaler asked rs for.
type Decision struct {
	TimeNs        int64
	Service       string
	From, To, Got int // instances before, asked for, running after
}

// Server is the autoscaler. It acts on a timer; its one request is
// autoscaleproto.Status.
type Server struct {
	opt     Options
	streaks []streak
	periods uint64
	changes uint64
	// Log is every change asked for, oldest first (bounded by MaxLog).
	Log []Decision
}

// MaxLog bounds Server.Log.
const MaxLog = 1024

// timerBit is the notification bit of the autoscaler's period.
const timerBit uint64 = 1

// New returns an autoscaler with options o.
func New(o Options) *Server {
	if o.PeriodNs <= 0 {
		o.PeriodNs = 10_000_000
	}
	if o.UpAfter <= 0 {
		o.UpAfter = 2
	}
	if o.DownAfter <= 0 {
		o.DownAfter = 5
	}
	return &Server{opt: o, streaks: make([]streak, len(o.Targets))}
}

// Handle serves autoscaleproto.Status.
func (s *Server) Handle(_ *ipc.Ctx, req *ipc.Message) ipc.Message {
	if req.Type != autoscaleproto.Status {
		return ipc.ErrorReply(req, linux.ENOSYS)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, s.periods)
	rep.SetWord(1, s.changes)
	rep.SetWord(2, uint64(len(s.opt.Targets)))
	return rep
}

// Start arms the first period.
func (s *Server) Start(ctx *ipc.Ctx) { s.arm(ctx.Sys) }

// Notified runs one period when the timer fires.
func (s *Server) Notified(ctx *ipc.Ctx, bits uint64) {
	if bits&timerBit == 0 {
		return
	}
	s.tick(ctx.Sys)
	s.arm(ctx.Sys)
}

func (s *Server) arm(sys ipc.Sys) {
	_ = sys.SetTimer(sys.Now()+s.opt.PeriodNs, timerBit)
}

// tick reads the bus's metrics through rs and scales each target.
func (s *Server) tick(sys ipc.Sys) {
	s.periods++
	c, err := rsproto.Dial(sys)
	if err != nil {
		return
	}
	sts, err := c.Stats()
	if err != nil {
		return
	}
	for i := range s.opt.Targets {
		t := &s.opt.Targets[i]
		m := find(sts, t.Service)
		if m == nil {
			continue
		}
		live := len(m.Instances)
		want := t.decide(m, live, s.opt.Hysteresis, &s.streaks[i])
		if want == live || want == 0 {
			continue
		}
		s.changes++
		_, got, err := c.Scale(t.Service, want)
		if err != nil {
			got = live
		}
		if len(s.Log) < MaxLog {
			s.Log = append(s.Log, Decision{TimeNs: sys.Now(), Service: t.Service, From: live, To: want, Got: got})
		}
	}
}

// find returns the named service's metrics, nil if absent.
func find(sts []rsproto.ServiceStats, name string) *rsproto.ServiceStats {
	for i := range sts {
		if sts[i].Name == name {
			return &sts[i]
		}
	}
	return nil
}
