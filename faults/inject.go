package faults

import (
	"math/rand/v2"

	"github.com/mkos/mkos/boot/procplace"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// Strike is a fault that hit: the service, the kind, when, and whether
// the service ran in the kernel.
type Strike struct {
	Svc  string
	Kind ipc.Injection
	// Host is the host fault, for one injected into a server process
	// (Kind is then 0).
	Host     procplace.HostFault
	AtNs     int64
	InKernel bool
}

// What names the fault: its kind or its host fault.
func (s *Strike) What() string {
	if s.Host != 0 {
		return s.Host.String()
	}
	return s.Kind.String()
}

// restart is a service getting an instance again after a death.
type restart struct {
	svc  string
	atNs int64
}

// recorder is the kernel tracer of a run: it keeps the strikes, restarts
// and panics and drops every other event.
type recorder struct {
	strikes  []Strike
	restarts []restart
	panics   []string
	// hostSvc is the service a host fault is armed in, until it strikes:
	// its proxy task dies with a fault (the process's death).
	hostSvc string
	host    procplace.HostFault
	// workDeath is how the workload task died, if it did not end by
	// itself ("" otherwise), and when.
	workDeath   string
	workDeathNs int64
}

func newRecorder() *recorder { return &recorder{} }

// Event records the events a campaign needs.
func (r *recorder) Event(e *kernel.Event) {
	switch e.Kind {
	case kernel.EvInject:
		k, _ := ipc.ParseInjection(e.Detail)
		r.strikes = append(r.strikes, Strike{Svc: e.Svc, Kind: k, AtNs: e.T})
	case kernel.EvRestart:
		if e.Svc != "" {
			r.restarts = append(r.restarts, restart{e.Svc, e.T})
		}
	case kernel.EvFault:
		if r.hostSvc != "" && e.Name == r.hostSvc {
			r.strikes = append(r.strikes, Strike{Svc: e.Name, Host: r.host, AtNs: e.T})
			r.hostSvc = ""
		}
	case kernel.EvPanic:
		r.panics = append(r.panics, e.Svc+": "+e.Detail)
	case kernel.EvDeath:
		if e.Name == workTask && e.Detail != "exit" {
			r.workDeath, r.workDeathNs = e.Detail, e.T
		}
	}
}

// The injector's patience, in virtual time: it polls for the strike of
// the fault it armed from pollNs, doubling up to pollMaxNs while no job
// ends; it gives up when no job has been correct for stallNs (the
// workload is stuck: blocked, or every job fails) or the fault has not
// struck in neverNs.
const (
	pollNs    = 100_000
	pollMaxNs = 50_000_000
	stallNs   = 20_000_000_000
	neverNs   = 60_000_000_000
)

// injector is the controller task: it arms one fault at a time at a
// seeded point, waits for it to strike, and stops the workload after
// PerRun strikes.
type injector struct {
	c    *Campaign
	p    *plan
	rec  *recorder
	w    *worker
	seed uint64

	armHost  func(svc string, f procplace.HostFault) error // boot.System.InjectHost
	armed    int                                           // faults armed
	stuck    bool                                          // the workload stopped making progress
	neverHit string                                        // a fault armed that never struck, if any
	injErr   error                                         // Inject refused
}

// body is the injector task.
func (in *injector) body(sys ipc.Sys) {
	defer func() { in.w.stop = true }()
	rng := rand.New(rand.NewPCG(in.seed, 0x696e6a65))
	for !in.w.ready {
		if in.w.finished || sys.Sleep(pollNs) != nil {
			return
		}
	}
	for len(in.rec.strikes) < in.c.PerRun && !in.w.finished {
		if sys.Sleep(rng.Int64N(2*in.c.GapNs+1)) != nil {
			return
		}
		t, what, err := in.arm(sys, rng)
		if err != nil {
			in.injErr = err
			return
		}
		in.armed++
		if !in.await(sys, t+" "+what) {
			return
		}
	}
}

// await waits for the armed fault to strike; false means stop.
func (in *injector) await(sys ipc.Sys, what string) bool {
	want := len(in.rec.strikes) + 1
	poll, t0 := int64(pollNs), sys.Now()
	lastJobs := len(in.w.jobs)
	for len(in.rec.strikes) < want {
		if in.w.finished || sys.Sleep(poll) != nil {
			return false
		}
		now := sys.Now()
		if n := len(in.w.jobs); n != lastJobs {
			lastJobs, poll = n, pollNs
		} else {
			poll = min(2*poll, pollMaxNs)
		}
		switch {
		case now-in.w.lastOK > stallNs:
			in.stuck = true
			return false
		case now-t0 > neverNs:
			in.neverHit = what
			return false
		}
	}
	return true
}

// arm arms one fault drawn from the campaign's kinds and host kinds: a
// kind on any target, a host fault on a target placed in a process.
func (in *injector) arm(sys ipc.Sys, rng *rand.Rand) (string, string, error) {
	i := rng.IntN(len(in.c.Kinds) + len(in.c.HostKinds))
	if i >= len(in.c.Kinds) {
		f := in.c.HostKinds[i-len(in.c.Kinds)]
		t := in.p.inProcess[rng.IntN(len(in.p.inProcess))]
		in.rec.hostSvc, in.rec.host = t, f
		return t, f.String(), in.armHost(t, f)
	}
	t := in.p.targets[rng.IntN(len(in.p.targets))]
	k := in.c.Kinds[i]
	var param int64
	if k == ipc.InjectSlow {
		param = in.c.SlowNs
	}
	return t, k.String(), sys.Inject(t, k, param)
}
