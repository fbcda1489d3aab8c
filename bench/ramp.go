package bench

import (
	"fmt"
	"time"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/workerproto"
)

// The ramp workload: load on a scalable worker rising and falling over
// virtual time, with the autoscaler on or off (`mkos bench --workload ramp
// --autoscale on|off`). Every number comes from the bus's metrics — what
// svc stats and the live views show — sampled every SampleNs; the same
// seed gives the same report.

// RampOptions shape a ramp run. Zero fields take the defaults.
type RampOptions struct {
	Autoscale bool
	Seed      uint64
	// CPUs is the number of virtual CPUs (default 4): more instances help
	// only with CPUs to run them.
	CPUs int
	// Phases are the clients running in each phase (default 1, 3, 6, 3,
	// 1: up and down), each PhaseNs long (default 100 ms).
	Phases  []int
	PhaseNs int64
	// WorkNs is one request's work, ThinkNs a client's pause between two
	// (defaults 1 ms and 200 µs).
	WorkNs, ThinkNs int64
	// SampleNs is the time between two samples (default 10 ms); the run
	// samples until TailNs after the last phase (default 200 ms), so the
	// scaling down shows.
	SampleNs, TailNs int64
}

func (o *RampOptions) defaults() {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.CPUs == 0 {
		o.CPUs = 4
	}
	if len(o.Phases) == 0 {
		o.Phases = []int{1, 3, 6, 3, 1}
	}
	if o.PhaseNs == 0 {
		o.PhaseNs = 100 * int64(time.Millisecond)
	}
	if o.WorkNs == 0 {
		o.WorkNs = int64(time.Millisecond)
	}
	if o.ThinkNs == 0 {
		o.ThinkNs = 200 * int64(time.Microsecond)
	}
	if o.SampleNs == 0 {
		o.SampleNs = 10 * int64(time.Millisecond)
	}
	if o.TailNs == 0 {
		o.TailNs = 200 * int64(time.Millisecond)
	}
}

// RampSample is the worker service at one time: the bus's metrics.
type RampSample struct {
	TimeNs    int64   `json:"t_ns"`
	Clients   int     `json:"clients"`
	Instances int     `json:"instances"`
	PerSec    float64 `json:"per_sec"`
	InFlight  int64   `json:"in_flight"`
	P50Ns     int64   `json:"p50_ns"`
	P99Ns     int64   `json:"p99_ns"`
}

// RampReport is one ramp run.
type RampReport struct {
	Autoscale bool         `json:"autoscale"`
	Seed      uint64       `json:"seed"`
	Samples   []RampSample `json:"samples"`
	// Requests, Errors and the percentiles are over the whole run, from
	// the bus's latency histogram of the worker service.
	Requests      int64 `json:"requests"`
	Errors        int64 `json:"errors"`
	P50Ns         int64 `json:"p50_ns"`
	P99Ns         int64 `json:"p99_ns"`
	MaxInstances  int   `json:"max_instances"`
	ClientErrors  int   `json:"client_errors"`
	InstanceNsSum int64 `json:"instance_ns"` // instances × time: what the capacity cost
}

// RampConfig is the boot configuration of a ramp run: micro, the worker
// scalable from 1 to 4 instances aiming at 1 request in flight each, and
// the autoscaler when on.
func RampConfig(o RampOptions) boot.Config {
	o.defaults()
	cfg := boot.Default()
	cfg.CPUs, cfg.Seed, cfg.Workload = o.CPUs, o.Seed, boot.WorkloadConf{}
	cfg.BusWindow = boot.Duration(2 * o.SampleNs)
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: workerproto.Name, Placement: "user", Instances: 1,
		Scale: &boot.ScaleConf{Min: 1, Max: 4, Queue: 1}})
	if o.Autoscale {
		cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: "autoscale", Placement: "user"})
	}
	return cfg
}

// RunRamp boots RampConfig(o), runs the ramp and samples it.
func RunRamp(o RampOptions) (*RampReport, error) {
	o.defaults()
	sys, err := boot.Boot(RampConfig(o), nil)
	if err != nil {
		return nil, err
	}
	defer sys.Close()
	r := &RampReport{Autoscale: o.Autoscale, Seed: o.Seed}
	k := sys.Kernel
	// phase i's clients: the first Phases[i] of the largest phase's run
	// while it lasts.
	peak := 0
	for _, n := range o.Phases {
		peak = max(peak, n)
	}
	for c := 0; c < peak; c++ {
		body := rampClient(o, c, &r.ClientErrors)
		if _, err := k.Spawn(ipc.TaskSpec{Name: "client", Body: body}); err != nil {
			return nil, err
		}
	}
	end := int64(len(o.Phases))*o.PhaseNs + o.TailNs
	sampler := func(s ipc.Sys) {
		for s.Now() < end {
			_ = s.Sleep(o.SampleNs)
			m, per, err := k.BusMetrics(workerproto.Name)
			if err != nil {
				continue
			}
			phase := int(s.Now() / o.PhaseNs)
			clients := 0
			if phase < len(o.Phases) {
				clients = o.Phases[phase]
			}
			r.Samples = append(r.Samples, RampSample{TimeNs: s.Now(), Clients: clients, Instances: len(per),
				PerSec: m.PerSec(), InFlight: m.InFlight, P50Ns: m.P50Ns, P99Ns: m.P99Ns})
			r.MaxInstances = max(r.MaxInstances, len(per))
			r.InstanceNsSum += int64(len(per)) * o.SampleNs
		}
	}
	if _, err := k.Spawn(ipc.TaskSpec{Name: "sampler", Body: sampler}); err != nil {
		return nil, err
	}
	if _, err := sys.Run(); err != nil {
		return nil, err
	}
	for _, si := range k.Services() {
		if si.Name == workerproto.Name {
			r.Requests, r.Errors = si.Stats.Requests, si.Stats.Errors
			r.P50Ns, r.P99Ns = ipc.Percentile(&si.Stats.Latency, 0.5), ipc.Percentile(&si.Stats.Latency, 0.99)
		}
	}
	if r.Requests == 0 {
		return r, fmt.Errorf("ramp: the worker served no request")
	}
	return r, nil
}

// rampClient is client number c: it works in every phase that has more
// than c clients.
func rampClient(o RampOptions, c int, errs *int) func(ipc.Sys) {
	return func(s ipc.Sys) {
		dst, err := ipc.Dial(s, workerproto.Name)
		if err != nil {
			*errs++
			return
		}
		for i, n := range o.Phases {
			if c >= n {
				continue
			}
			from, to := int64(i)*o.PhaseNs, int64(i+1)*o.PhaseNs
			if s.Now() < from {
				_ = s.Sleep(from - s.Now())
			}
			for s.Now() < to {
				if workerproto.Do(s, dst, o.WorkNs) != nil {
					*errs++
				}
				_ = s.Sleep(o.ThinkNs)
			}
		}
	}
}
