package boot

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/rsproto"
	"github.com/mkos/mkos/servers/rs"
)

// The reincarnation server's part of booting: its rs: section, the
// dependency order of the servers, the boot image, and the functions rs
// reads the kernel's tables through.

// RSConf is the rs: section: the restart back-off and the hang detection.
type RSConf struct {
	// Backoff is the wait before restarting a server that died; it
	// doubles with each quick death in a row.
	Backoff Duration `yaml:"backoff"`
	// BackoffMax caps the back-off.
	BackoffMax Duration `yaml:"backoff_max"`
	// MinUptime: a server that ran this long before it died starts over
	// at Backoff.
	MinUptime Duration `yaml:"min_uptime"`
	// PingPeriod is the time between two rounds of pings.
	PingPeriod Duration `yaml:"ping_period"`
	// PingTimeout is how long a server has to answer a ping before rs
	// kills it as hung.
	PingTimeout Duration `yaml:"ping_timeout"`
	// UpdateTrial is how long a new instance must stay up, its service's
	// requests held, before a live update (svc update) switches to it;
	// 0: only a ping.
	UpdateTrial Duration `yaml:"update_trial"`
}

// DefaultRS returns rs's defaults (rs.DefaultPolicy): 100µs back-off
// doubling up to 100ms, reset after 1s up; a ping round every second,
// with a second to answer; a 100µs trial for a live update.
func DefaultRS() RSConf {
	p := rs.DefaultPolicy
	return RSConf{Backoff: Duration(p.BackoffNs), BackoffMax: Duration(p.BackoffMaxNs), MinUptime: Duration(p.MinUptimeNs),
		PingPeriod: Duration(p.PingPeriodNs), PingTimeout: Duration(p.PingTimeoutNs), UpdateTrial: Duration(p.UpdateTrialNs)}
}

func (r RSConf) policy() rs.Policy {
	return rs.Policy{BackoffNs: int64(r.Backoff), BackoffMaxNs: int64(r.BackoffMax), MinUptimeNs: int64(r.MinUptime),
		PingPeriodNs: int64(r.PingPeriod), PingTimeoutNs: int64(r.PingTimeout), UpdateTrialNs: int64(r.UpdateTrial)}
}

func (c *Config) checkRS() error {
	r := c.RS
	for _, f := range []struct {
		key string
		v   Duration
	}{{"backoff", r.Backoff}, {"backoff_max", r.BackoffMax}, {"min_uptime", r.MinUptime}, {"ping_period", r.PingPeriod}, {"ping_timeout", r.PingTimeout}} {
		if f.v <= 0 {
			return fmt.Errorf("rs.%s: must be positive", f.key)
		}
	}
	if r.UpdateTrial < 0 {
		return fmt.Errorf("rs.update_trial: must not be negative")
	}
	if r.BackoffMax < r.Backoff {
		return fmt.Errorf("rs.backoff_max: %v is below rs.backoff (%v)", time.Duration(r.BackoffMax), time.Duration(r.Backoff))
	}
	return nil
}

// checkImpl checks a server entry's name and impl against Variants.
func checkImpl(key string, s ServerConf) error {
	if p, ok := Variants[s.Name]; ok {
		return fmt.Errorf("%s.name: %q is an implementation of %s: write name: %s, impl: %s", key, s.Name, p, p, s.Name)
	}
	if s.Impl == "" || s.Impl == s.Name {
		return nil
	}
	if _, ok := Servers[s.Impl]; !ok {
		return fmt.Errorf("%s.impl: %q is not a known server (have %v)", key, s.Impl, ServerNames())
	}
	if protocol(s.Impl) != s.Name {
		return fmt.Errorf("%s.impl: %q speaks the %s protocol, not %s", key, s.Impl, protocol(s.Impl), s.Name)
	}
	return nil
}

// protocol is the protocol implementation impl speaks.
func protocol(impl string) string {
	if p, ok := Variants[impl]; ok {
		return p
	}
	return impl
}

// dependsOn returns the servers s needs up before it starts: its
// depends_on list, or DefaultDepends and ds (which comes first when it is
// configured) cut to the servers configured.
func (c *Config) dependsOn(s ServerConf, placed map[string]bool) []string {
	if s.DependsOn != nil {
		return s.DependsOn
	}
	var deps []string
	if s.Name != dsproto.Name && placed[dsproto.Name] {
		deps = append(deps, dsproto.Name)
	}
	for _, d := range DefaultDepends[s.Name] {
		if placed[d] {
			deps = append(deps, d)
		}
	}
	return deps
}

// startOrder returns the servers to place, each after the ones it
// depends on, otherwise in the configuration's order. The error names
// the depends_on key of an unknown server or of a cycle.
func (c *Config) startOrder() ([]ServerConf, error) {
	all := c.servers()
	placed := map[string]bool{}
	for _, s := range all {
		placed[s.Name] = true
	}
	for i, s := range all {
		for _, d := range s.DependsOn {
			if !placed[d] || d == s.Name {
				return nil, fmt.Errorf("servers[%d].depends_on: %q is not another configured server", i, d)
			}
		}
	}
	var order []ServerConf
	done := map[string]bool{}
	for len(order) < len(all) {
		progress := false
		for _, s := range all {
			if !done[s.Name] && !slices.ContainsFunc(c.dependsOn(s, placed), func(d string) bool { return !done[d] }) {
				order, done[s.Name], progress = append(order, s), true, true
			}
		}
		if !progress {
			return nil, c.cycle(all, done, placed)
		}
	}
	return order, nil
}

// cycle names the servers left waiting for each other.
func (c *Config) cycle(all []ServerConf, done, placed map[string]bool) error {
	var names []string
	first := -1
	for i, s := range all {
		if !done[s.Name] {
			names = append(names, s.Name)
			if first < 0 {
				first = i
			}
		}
	}
	return fmt.Errorf("servers[%d].depends_on: a dependency cycle among %s", first, strings.Join(names, ", "))
}

// Restart is one line of rs's restart log, as the run summary shows it.
type Restart struct {
	Server string
	Old    ipc.Endpoint
	New    ipc.Endpoint
	Cause  string
	TimeNs int64
}

// startRS spawns the boot image — the user-space servers that depend on
// no other user-space server, in start order — and rs, which the kernel
// keeps alive and which starts the rest. The services are declared first,
// so clients can look them up before they register.
func (s *System) startRS(order []ServerConf) error {
	placed, conf := map[string]bool{}, map[string]ServerConf{}
	for _, sc := range order {
		placed[sc.Name], conf[sc.Name] = true, sc
	}
	var svcs []rs.Service
	var image []rs.Instance
	impls := s.impls()
	for _, sc := range order {
		if s.Config.InKernel(sc) {
			continue
		}
		if _, err := s.Kernel.Declare(sc.Name); err != nil {
			return err
		}
		var deps []string
		for _, d := range s.Config.dependsOn(sc, placed) {
			if !s.Config.InKernel(conf[d]) {
				deps = append(deps, d)
			}
		}
		impl := sc.Impl
		if impl == "" {
			impl = sc.Name
		}
		priv, err := sc.priv(s.Kernel.DevicesOf(sc.Name))
		if err != nil {
			return err
		}
		sv := rs.Service{Name: sc.Name, Impl: impl, Instances: max(sc.Instances, 1), DependsOn: deps, Priv: &priv, Stopped: sc.Standby}
		svcs = append(svcs, sv)
		if len(deps) > 0 || sc.Standby {
			continue
		}
		for i := 0; i < max(sc.Instances, 1); i++ {
			ep, err := s.Kernel.Spawn(rs.Spec(sv, impls[impl]))
			if err != nil {
				return err
			}
			image = append(image, rs.Instance{Service: sc.Name, Task: ep})
		}
	}
	// rs runs even when every server is in the kernel (mono): it has
	// nothing to restart then, but it is the system's fault controller
	// (rsproto.Inject) and lists the services.
	if _, err := s.Kernel.Declare(rsproto.Name); err != nil {
		return err
	}
	opt := rs.Options{Services: svcs, Impls: impls, Image: image, Policy: s.Config.RS.policy(),
		Probe: rs.Probe{Services: s.busInfo, Tasks: s.taskInfo}, OnRestart: s.noteRestart}
	priv := rsPriv()
	_, err := s.Kernel.KeepAlive(ipc.TaskSpec{Name: rsproto.Name, Priv: &priv, Body: func(sys ipc.Sys) {
		_ = rs.New(opt).Run(sys) // a new rs each time the kernel restarts it
	}})
	return err
}

// impls is the server table as rs sees it: every implementation and the
// protocol it speaks.
func (s *System) impls() map[string]rs.Impl {
	out := map[string]rs.Impl{}
	for name, mk := range Servers {
		out[name] = rs.Impl{Protocol: protocol(name), New: func() ipc.Server { return s.noteServer(mk(&s.Config)) },
			Body: func(service string) func(ipc.Sys) {
				if s.inProcess(service) {
					return s.processBody(service, name)
				}
				return nil
			}}
	}
	return out
}

// busInfo is the bus's statistics, which a real rs would read through a
// kernel call.
func (s *System) busInfo() []rs.ServiceInfo {
	var out []rs.ServiceInfo
	for _, si := range s.Kernel.Services() {
		info := rs.ServiceInfo{Name: si.Name, InKernel: si.InKernel, Instances: si.Instances,
			Requests: si.Stats.Requests, Errors: si.Stats.Errors, Callers: s.Kernel.Callers(si.Name),
			Placement: s.placementOf(si), HostPID: s.HostPID(si.Name), Metrics: si.Metrics}
		for _, in := range si.PerInstance {
			info.PerInstance = append(info.PerInstance, rsproto.InstanceStats{Task: in.Task, BusMetrics: in.BusMetrics})
		}
		switch {
		case si.InKernel:
			info.Priv = "kernel"
		case len(si.Instances) > 0:
			p, _ := s.Kernel.Priv(si.Instances[0])
			info.Priv = p.String()
		}
		out = append(out, info)
	}
	return out
}

// taskInfo is the task table, which a real rs would read through a
// kernel call.
func (s *System) taskInfo() []rs.TaskInfo {
	var out []rs.TaskInfo
	for _, t := range s.Kernel.Tasks() {
		out = append(out, rs.TaskInfo{Task: t.Endpoint(), Name: t.Name(), State: t.State(), Kernel: t.KernelThread()})
	}
	return out
}

// noteRestart keeps rs's restarts for the run summary.
func (s *System) noteRestart(e rsproto.LogEntry) {
	s.Restarts = append(s.Restarts, Restart{Server: e.Service, Old: e.Old, New: e.New, Cause: e.Cause, TimeNs: e.TimeNs})
}
