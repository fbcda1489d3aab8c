package main

import (
	"fmt"
	"os"
	"strconv"
	"sync/atomic"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/kernel/tracefmt"
	"github.com/mkos/mkos/live"
)

// liveFlags are the flags the live views share (top, web).
type liveFlags struct {
	runFlags
	speed  string // --speed: virtual seconds per wall second, or max
	replay string // --replay: a trace whose controls to take again
	paused bool   // --paused: start paused
}

func (f *liveFlags) add(fl *pflag.FlagSet, speed string) {
	fl.StringVar(&f.config, "config", "", "boot configuration file (YAML)")
	fl.StringVar(&f.mode, "mode", "", "placement: micro, mono or hybrid")
	fl.Uint64Var(&f.seed, "seed", 0, "seed of the kernel's random generator")
	fl.IntVar(&f.cpus, "cpus", 0, "number of virtual CPUs")
	fl.StringVar(&f.policy, "policy", "", "scheduling policy")
	fl.IntVar(&f.clients, "clients", -1, "number of demo clients")
	fl.IntVar(&f.calls, "calls", -1, "rounds per demo client")
	fl.StringVar(&f.trace, "trace", "", "write every kernel event, and the controls taken, to this file as JSON lines")
	fl.StringVar(&f.speed, "speed", speed, "virtual seconds per wall second, or max")
	fl.StringVar(&f.replay, "replay", "", "take again the controls recorded in this trace (same configuration and seed)")
	fl.BoolVar(&f.paused, "paused", false, "start paused")
	fl.DurationVar(&f.maxTime, "max-time", 0, "stop the system at this virtual time (0: none); mkos exits with status 5 if it had not ended")
	addWatchdogFlag(fl, &f.runFlags)
}

// parseSpeed reads --speed.
func parseSpeed(s string) (float64, error) {
	if s == "max" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("--speed %q: want virtual seconds per wall second (like 0.05) or max", s)
	}
	return v, nil
}

// readScript reads the controls of a trace file.
func readScript(path string) (live.Script, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	events, err := tracefmt.ReadJSONL(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return live.ScriptOf(events)
}

// liveRun is a system running on a goroutine of its own under a model.
type liveRun struct {
	sys   *boot.System
	model *live.Model
	trace *traceFile
	done  chan error
	// status is init's exit status for a user-space run (-1 before).
	status *int
	// limitHit: the run stopped at its time limit (--max-time) with work
	// left, not because a view stopped it. Set before done is sent.
	limitHit bool
	// stopping: the view asked the run to stop (stop), which the kernel
	// also counts as a time limit reached.
	stopping atomic.Bool
}

// stop ends the run at the engine's next safe point: the view is done.
func (r *liveRun) stop() {
	r.stopping.Store(true)
	r.model.Stop()
}

// bootLive boots cfg under a model as f says; start runs it.
func bootLive(cfg boot.Config, f *liveFlags) (*liveRun, error) {
	speed, err := parseSpeed(f.speed)
	if err != nil {
		return nil, err
	}
	script, err := readScript(f.replay)
	if err != nil {
		return nil, err
	}
	trace, err := openTrace(f.trace)
	if err != nil {
		return nil, err
	}
	m := live.New(live.Options{Inner: trace.tracer(), Script: script, Speed: speed, Paused: f.paused})
	sys, err := boot.Boot(cfg, m)
	if err != nil {
		trace.close()
		return nil, err
	}
	m.Attach(sys.Kernel)
	return &liveRun{sys: sys, model: m, trace: trace, done: make(chan error, 1)}, nil
}

// start runs the system on a goroutine of its own.
func (r *liveRun) start() {
	r.model.SetPulse(r.sys.Pulse())
	go func() {
		_, err := r.sys.Run()
		r.limitHit = r.sys.Kernel.TimeLimitHit() && !r.stopping.Load() // the view's stop is no time limit
		r.model.Finish()
		r.done <- err
	}()
}

// wait waits for the run's end and releases what it holds.
func (r *liveRun) wait(cmd *cobra.Command) error {
	err := <-r.done
	cerr := r.sys.Close()
	if terr := r.trace.close(); cerr == nil {
		cerr = terr
	}
	if err != nil {
		return halted(cmd, err)
	}
	if cerr == nil && r.limitHit {
		return &stopped{exitTimeLimit, fmt.Sprintf("the time limit, %s of virtual time, was reached: the system had not ended", kernel.FormatNs(int64(r.sys.Config.MaxTime)))}
	}
	return cerr
}
