package faults

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/kernel"
)

// plan is what every run of a campaign shares: the boot configuration
// (each run sets its seed) and the targets.
type plan struct {
	cfg boot.Config
	// targets can be injected into: asked for, booted, and called by the
	// workload.
	targets []string
	// skipped are the targets asked for but left out, with why.
	skipped map[string]string
	// inKernel are the targets placed in the kernel.
	inKernel map[string]bool
	// inProcess are the targets placed in host processes, where host
	// faults go.
	inProcess []string
}

// hostWatchdog is a campaign's process watchdog when it injects host
// faults: a spinning server is killed after this much host time.
const hostWatchdog = 200 * time.Millisecond

// diskBytes is the size of a campaign's disk: small, so that a remount's
// full check after each file-server restart stays cheap.
const diskBytes = 8 << 20

// maxTimeNs bounds a run's virtual time, as a safety net: the injector
// ends every run long before. Campaign.MaxTimeNs replaces it.
const maxTimeNs = 3600_000_000_000

// plan builds the configuration and chooses the targets.
func (c *Campaign) plan() (*plan, error) {
	w := Workloads[c.Workload]
	cfg := boot.Default()
	placed := map[string]boot.ServerConf{}
	if c.Base != nil {
		cfg = *c.Base
		for _, sc := range cfg.Servers {
			placed[sc.Name] = sc
		}
	}
	cfg.Mode, cfg.MaxTime, cfg.Workload, cfg.Servers, cfg.Links = c.Mode, boot.Duration(c.MaxTimeNs), boot.WorkloadConf{}, nil, nil
	if c.Isolation != "" {
		cfg.Isolation = c.Isolation
	}
	if len(c.HostKinds) > 0 {
		cfg.ProcessWatchdog = boot.Duration(hostWatchdog)
	}
	for _, name := range w.Needs {
		sc := placed[name]
		sc.Name = name
		cfg.Servers = append(cfg.Servers, sc)
	}
	cfg.Disk = nil
	if slices.Contains(w.Needs, fsproto.Name) {
		cfg.Disk = &boot.DiskConf{Size: diskBytes, Kind: "ssd"}
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	p := &plan{cfg: cfg, skipped: map[string]string{}, inKernel: map[string]bool{}}
	calls := w.calls()
	for _, t := range c.Targets {
		switch {
		case !p.booted(t):
			p.skipped[t] = "not in this system"
		case !calls[t]:
			p.skipped[t] = "the " + c.Workload + " workload never calls it"
		default:
			p.targets = append(p.targets, t)
			p.inKernel[t] = cfg.InKernel(p.conf(t))
			if cfg.InProcess(p.conf(t)) {
				p.inProcess = append(p.inProcess, t)
			}
		}
	}
	if len(p.targets) == 0 {
		return nil, fmt.Errorf("no target to inject into: %s", p.skippedText())
	}
	if len(c.HostKinds) > 0 && len(p.inProcess) == 0 {
		return nil, fmt.Errorf("no target runs in a process for the host faults")
	}
	return p, nil
}

// booted reports whether the system has service t.
func (p *plan) booted(t string) bool {
	return t == diskproto.Name && p.cfg.Disk != nil || slices.ContainsFunc(p.cfg.Servers, func(s boot.ServerConf) bool { return s.Name == t })
}

// conf returns t's server entry (the disk driver's is implicit).
func (p *plan) conf(t string) boot.ServerConf {
	for _, s := range p.cfg.Servers {
		if s.Name == t {
			return s
		}
	}
	return boot.ServerConf{Name: t}
}

func (p *plan) skippedText() string {
	var parts []string
	for _, t := range AllTargets {
		if why, ok := p.skipped[t]; ok {
			parts = append(parts, t+": "+why)
		}
	}
	return strings.Join(parts, "; ")
}

// workTask is the name of the workload's task.
const workTask = "work"

// runOne boots run i, runs the workload under injection, and checks the
// invariants. The error is for a run that could not be made at all; what
// the faults did is in the result.
func runOne(c *Campaign, p *plan, i int) (*RunResult, error) {
	cfg := p.cfg
	cfg.Seed = c.Seed + uint64(i)
	rec := newRecorder()
	sys, err := boot.Boot(cfg, rec)
	if err != nil {
		return nil, err
	}
	defer sys.Close()
	if sys.Disk != nil {
		if err := sys.FormatDisk(); err != nil {
			return nil, err
		}
	}
	r := &RunResult{Index: i, Seed: cfg.Seed}
	wk := newWorker(Workloads[c.Workload])
	inj := &injector{c: c, p: p, rec: rec, w: wk, seed: cfg.Seed, armHost: sys.InjectHost}
	if _, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: workTask, Body: wk.body}); err != nil {
		return nil, err
	}
	injPriv := boot.FaultsPriv() // the fault controller: Inject, and no other privilege
	if _, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "injector", Priv: &injPriv, Body: inj.body}); err != nil {
		return nil, err
	}
	_, runErr := sys.Run()
	var stall *kernel.Stall
	if errors.As(runErr, &stall) {
		// A task spins: the run goes on, abandoned, and nothing of it may
		// be read now.
		r.violate(InvBlocked, runErr.Error(), nil)
		return r, nil
	}
	if sys.Kernel.TimeLimitHit() {
		r.CutOff = true // stopped at --max-time: nothing ended, nothing to check
		return r, nil
	}
	if wk.setupErr != nil {
		return nil, fmt.Errorf("run %d (seed %d): the workload's setup failed before any fault: %w", i, cfg.Seed, wk.setupErr)
	}
	r.collect(sys, rec, wk, inj, runErr)
	check(r, c, p, sys, rec, wk, runErr)
	return r, nil
}
