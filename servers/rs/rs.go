package rs

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/rsproto"
)

// Policy holds the restart and hang-detection knobs, in virtual ns.
type Policy struct {
	// BackoffNs is the wait before restarting an instance that died; it
	// doubles with each death in a streak.
	BackoffNs int64
	// BackoffMaxNs caps the back-off.
	BackoffMaxNs int64
	// MinUptimeNs is how long an instance must have run, when it dies,
	// for its service's back-off to start over at BackoffNs.
	MinUptimeNs int64
	// PingPeriodNs is the time between two ping rounds.
	PingPeriodNs int64
	// PingTimeoutNs is how long an instance has to answer a ping before
	// rs declares it hung and kills it.
	PingTimeoutNs int64
	// UpdateTrialNs is how long a new instance must stay up, while the
	// bus still holds its service's requests, before a live update
	// switches to it (update.go); 0: only a ping.
	UpdateTrialNs int64
}

// DefaultPolicy is the policy boot uses unless its rs: section says
// otherwise.
var DefaultPolicy = Policy{
	BackoffNs:     100_000,
	BackoffMaxNs:  100_000_000,
	MinUptimeNs:   1_000_000_000,
	PingPeriodNs:  1_000_000_000,
	PingTimeoutNs: 1_000_000_000,
	UpdateTrialNs: 100_000,
}

// Service is one service rs manages, as the boot configuration gives it.
type Service struct {
	Name string
	// Impl names the implementation to run (Options.Impls); empty is Name.
	Impl string
	// Instances is the number of instances (at least 1).
	Instances int
	// DependsOn names the managed services that must answer a ping before
	// this one starts at boot.
	DependsOn []string
	// Priv is the privilege record its instances run with (nil: rs's
	// own). It is fixed by the configuration: a replacement
	// implementation runs with the service's record.
	Priv *ipc.Priv
	// Stopped: rs knows the service but does not start it at boot (a
	// standby server of a cluster's node, started by a move): it is
	// stopped until a Start.
	Stopped bool
}

// Impl is one implementation of a protocol.
type Impl struct {
	// Protocol is the service whose protocol it speaks: "echo" for both
	// echo and echo2. Replace accepts only an implementation of the
	// service's own protocol.
	Protocol string
	// New makes a server; each instance gets its own.
	New func() ipc.Server
	// Body, when set and when it returns a body for the service, is the
	// task body of an instance instead of serving New() in the task: boot
	// gives the proxy of a server process this way.
	Body func(service string) func(ipc.Sys)
}

// Instance is a task that serves a service.
type Instance struct {
	Service string
	Task    ipc.Endpoint
}

// ServiceInfo is what the bus says of a service.
type ServiceInfo struct {
	Name      string
	InKernel  bool
	Instances []ipc.Endpoint
	Requests  int64
	Errors    int64
	// Priv is the privilege record its instances run with, as
	// ipc.Priv.String renders it ("kernel" when placed in the kernel);
	// Callers the records that may call it (nil: anyone).
	Priv    string
	Callers []string
	// Placement is "kernel", "user" (a task) or "process" (a host
	// process, whose host PID is HostPID).
	Placement string
	HostPID   int
	// Metrics are the bus's numbers for the service; PerInstance each
	// live instance's (ipc.BusMetrics).
	Metrics     ipc.BusMetrics
	PerInstance []rsproto.InstanceStats
}

// TaskInfo is what the task table says of a live task.
type TaskInfo struct {
	Task  ipc.Endpoint
	Name  string
	State string // as kernel.Task.State: "running", "ready", "sleeping", "receiving", …
	// Kernel is set for the kernel's own thread of a server placed in
	// the kernel: not a program.
	Kernel bool
}

// Probe is rs's read-only view of the kernel's tables. A real rs would
// read them through kernel calls; boot hands these functions to rs
// instead. They must not change anything.
type Probe struct {
	// Services returns the bus's services, sorted by name.
	Services func() []ServiceInfo
	// Tasks returns the live tasks.
	Tasks func() []TaskInfo
}

// Options configure rs.
type Options struct {
	// Services are the services rs manages, dependencies first.
	Services []Service
	// Impls are the implementations by name.
	Impls map[string]Impl
	// Image is the boot image: the instances boot spawned.
	Image  []Instance
	Policy Policy
	Probe  Probe
	// OnRestart, when set, is told of every restart as it is logged (not
	// of the entries a restarted rs reloads from the data store).
	OnRestart func(rsproto.LogEntry)
}

// MaxLog bounds the restart log kept in memory and in the data store.
const MaxLog = 256

// timerBit is the notification bit of rs's timer.
const timerBit uint64 = 1

// Spec returns the task that runs one instance of sv with impl: the same
// for the boot image and for every restart, privileges included.
func Spec(sv Service, impl Impl) ipc.TaskSpec {
	name := sv.Name
	if impl.Body != nil {
		if body := impl.Body(name); body != nil {
			return ipc.TaskSpec{Name: name, Priv: sv.Priv, Body: body}
		}
	}
	return ipc.TaskSpec{Name: name, Priv: sv.Priv, Body: func(sys ipc.Sys) {
		_ = ipc.Serve(sys, name, impl.New())
	}}
}

// Server is one incarnation of rs. The kernel makes a new task, and boot
// a new Server, each time rs is restarted: nothing survives in memory.
type Server struct {
	opt    Options
	sys    ipc.Sys
	self   ipc.Endpoint
	bornNs int64

	svcs   []*service // managed, dependencies first
	byName map[string]*service

	log        []rsproto.LogEntry
	logSeq     int64       // key of the next entry in the data store
	logTotal   int64       // entries recorded by this rs (log holds the last)
	followers  []*follower // log streams (logstream.go)
	rsRestarts int64

	timerAt int64 // the deadline rs last set, 0 when none
	ping    pinger
	store   *store
}

// service is rs's state for one managed service.
type service struct {
	Service
	impl     string
	stopped  bool
	live     []instance
	pending  []pending // restarts waiting out their back-off, in order of death
	streak   int
	restarts int64
	cause    string
	said     ipc.Message // the last state announced (stats.go)
}

// instance is a live instance and when rs saw it start.
type instance struct {
	ep      ipc.Endpoint
	startNs int64
}

// pending is a restart waiting for its time.
type pending struct {
	dueNs, diedNs int64
	old           ipc.Endpoint
	cause         string
	hung          bool
}

// New returns rs with options opt. Run is its task body.
func New(opt Options) *Server {
	if opt.Policy == (Policy{}) {
		opt.Policy = DefaultPolicy
	}
	s := &Server{opt: opt, byName: map[string]*service{}}
	for _, c := range opt.Services {
		c.Instances = max(c.Instances, 1)
		sv := &service{Service: c, impl: c.Impl, stopped: c.Stopped}
		if sv.impl == "" {
			sv.impl = c.Name
		}
		s.svcs = append(s.svcs, sv)
		s.byName[c.Name] = sv
	}
	return s
}

// Run is rs's task body: start up (fresh or after a restart of rs), then
// serve until the system halts.
func (s *Server) Run(sys ipc.Sys) error {
	s.sys, s.self, s.bornNs = sys, sys.Self(), sys.Now()
	if err := sys.Supervise(); err != nil {
		return err
	}
	if _, err := sys.Register(rsproto.Name); err != nil {
		return err
	}
	deaths := s.drain()
	if s.isRestart(deaths) {
		s.rebuild(deaths)
	} else {
		s.fresh(deaths)
	}
	s.restartDue()
	s.rearm()
	return ipc.Serve(sys, rsproto.Name, s)
}

// drain reads every death notice queued.
func (s *Server) drain() []ipc.Death {
	var out []ipc.Death
	for d, ok := s.sys.NextDeath(); ok; d, ok = s.sys.NextDeath() {
		out = append(out, d)
	}
	return out
}

// Notified handles rs's notifications: deaths, and its timer.
func (s *Server) Notified(_ *ipc.Ctx, bits uint64) {
	if bits&ipc.NotifyBus != 0 {
		s.pumpLog() // a log stream's client granted credit or cancelled
	}
	if bits&timerBit != 0 {
		s.timerAt = 0
	}
	if bits&ipc.NotifyDeath != 0 {
		for _, d := range s.drain() {
			s.died(d)
		}
	}
	s.restartDue()
	if s.ping.on && s.sys.Now() >= s.ping.nextNs {
		s.pingRound()
		s.restartDue()
	}
	s.rearm()
}

// rearm sets the timer to the earliest pending restart or ping round.
func (s *Server) rearm() {
	s.ping.update(s)
	var at int64
	for _, sv := range s.svcs {
		for _, p := range sv.pending {
			if at == 0 || p.dueNs < at {
				at = p.dueNs
			}
		}
	}
	if s.ping.on && (at == 0 || s.ping.nextNs < at) {
		at = s.ping.nextNs
	}
	if at != s.timerAt {
		s.timerAt = at
		_ = s.sys.SetTimer(at, timerBit)
	}
}

// instanceOf returns the managed service whose live instance ep is, and
// its index in live; nil when ep is none.
func (s *Server) instanceOf(ep ipc.Endpoint) (*service, int) {
	for _, sv := range s.svcs {
		for i, in := range sv.live {
			if in.ep == ep {
				return sv, i
			}
		}
	}
	return nil, -1
}
