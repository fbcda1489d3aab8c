package boot

import (
	"fmt"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/user/workload"
)

// The workloads `mkos run` runs: the demo clients (echo and null calls),
// or the Mars Pathfinder story (priority inversion over IPC, which
// priority_inheritance: false lets happen).

// Workload kinds (workload: kind:).
const (
	WorkloadDemo       = "demo"
	WorkloadPathfinder = "pathfinder"
)

// WorkloadKinds lists the kinds, for flags and errors.
var WorkloadKinds = []string{WorkloadDemo, WorkloadPathfinder}

// checkWorkloadKind checks workload: kind: and what it needs.
func (c *Config) checkWorkloadKind() error {
	switch c.Workload.Kind {
	case "", WorkloadDemo:
		return nil
	case WorkloadPathfinder:
		if c.Policy != "prio" {
			return fmt.Errorf("workload: kind %s needs policy: prio (its tasks have priorities), not %s", WorkloadPathfinder, c.Policy)
		}
		return nil
	}
	return fmt.Errorf("workload: kind %q is not one of %s", c.Workload.Kind, strings.Join(WorkloadKinds, ", "))
}

// startWorkload spawns the workload's tasks.
func (s *System) startWorkload() {
	w := s.Config.Workload
	if w.Kind == WorkloadPathfinder {
		s.startPathfinder()
		return
	}
	d := workload.Demo{Calls: w.Calls, ComputeNs: int64(w.Compute), CrashAt: w.CrashAt, BulkEvery: w.BulkEvery,
		Files: s.Config.Disk != nil && s.Config.hasServer(fsproto.Name)}
	p := ipc.UserPriv()
	for i := 0; i < w.Clients; i++ {
		s.Kernel.Spawn(ipc.TaskSpec{Name: fmt.Sprintf("client%d", i), Priv: &p, Body: d.Client(i, &s.Tally)})
	}
}

// startPathfinder starts the bus server (at low priority, as on the
// Pathfinder) and the low, medium and high tasks.
func (s *System) startPathfinder() {
	var p workload.Pathfinder
	s.Kernel.Declare(workload.BusService)
	srv := p.Bus()
	s.Kernel.Spawn(ipc.TaskSpec{Name: workload.BusService, Prio: workload.PrioLow,
		Body: func(sys ipc.Sys) { ipc.Serve(sys, workload.BusService, srv) }})
	user := ipc.UserPriv()
	for _, t := range p.Tasks(&s.Pathfinder) {
		t.Priv = &user
		s.Kernel.Spawn(t)
	}
}

// PathfinderSummary is what the pathfinder workload showed.
type PathfinderSummary struct {
	PriorityInheritance bool     `json:"priority_inheritance"`
	HighWaitNs          int64    `json:"high_wait_ns"`
	Order               []string `json:"finish_order"`
	Errors              int      `json:"errors"`
}

// pathfinderSummary summarizes the pathfinder workload, nil for another.
func (s *System) pathfinderSummary() *PathfinderSummary {
	if s.Config.Workload.Kind != WorkloadPathfinder {
		return nil
	}
	pi := s.Config.PriorityInheritance == nil || *s.Config.PriorityInheritance
	t := s.Pathfinder
	return &PathfinderSummary{PriorityInheritance: pi, HighWaitNs: t.HighWaitNs, Order: t.Order, Errors: t.Errors}
}

// String is the pathfinder's line in the summary.
func (p *PathfinderSummary) String() string {
	pi := "on"
	if !p.PriorityInheritance {
		pi = "off"
	}
	return fmt.Sprintf("workload pathfinder, priority inheritance %s: the high-priority task waited %s for the bus; finished: %s",
		pi, kernel.FormatNs(p.HighWaitNs), strings.Join(p.Order, ", "))
}

// hasServer reports whether the server table lists name.
func (c *Config) hasServer(name string) bool {
	for _, s := range c.Servers {
		if s.Name == name {
			return true
		}
	}
	return false
}
