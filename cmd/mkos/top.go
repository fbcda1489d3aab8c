package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/live"
	"github.com/mkos/mkos/live/top"
)

type topFlags struct {
	liveFlags
	frames int
	every  time.Duration
}

func newTopCmd() *cobra.Command {
	var f topFlags
	cmd := &cobra.Command{
		Use:   "top",
		Short: "Boot a system and its workload and watch it run in a terminal dashboard",
		Long: `Boot the configuration and its demo workload and show, live: virtual time, each
CPU's running task and run queue, the services (placement, state, requests/s
and latency p50/p99 over the last second of virtual time, errors, restarts),
the tasks (state, what each waits on, priority, CPU time), the last IPC
messages by name and the log of faults, deaths and restarts.

Keys: space pauses and resumes, s steps one event, + and - double and halve
the speed (virtual seconds per wall second), 0 runs as fast as possible; tab
moves between the services and the tasks, the arrows select, c crashes, h
hangs and r restarts the selected service (through rs), x kills the selected
task; q quits.

Every crash, hang, restart and kill is written to --trace as a control event
at its safe point: --replay TRACE takes them again at the same points, and
with the same configuration and seed the run is the same, event for event.

Without a terminal, --frames N prints N plain-text frames, one every --every,
and exits.`,
		Example: `  mkos top
  mkos top --cpus 2 --clients 6 --speed 0.01
  mkos top --frames 3 --every 10ms
  mkos top --trace clicks.jsonl; mkos top --replay clicks.jsonl --speed max --frames 1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runTop(cmd, &f) },
	}
	fl := cmd.Flags()
	f.add(fl, "0.05")
	fl.IntVar(&f.frames, "frames", 0, "print this many plain-text frames and exit (no terminal needed)")
	fl.DurationVar(&f.every, "every", 100*time.Millisecond, "time between frames")
	return cmd
}

// topDefaultCalls is how many rounds each demo client makes under top:
// enough to watch.
const topDefaultCalls = 5000

func runTop(cmd *cobra.Command, f *topFlags) error {
	if f.every <= 0 {
		return fmt.Errorf("--every %s: want a positive duration", f.every)
	}
	if f.frames < 0 {
		return fmt.Errorf("--frames %d: want a positive count", f.frames)
	}
	cfg, err := f.configure(cmd)
	if err != nil {
		return err
	}
	if !cmd.Flags().Changed("calls") {
		cfg.Workload.Calls = topDefaultCalls
	}
	cfg.MaxTime = 0
	cfg = withMaxTime(cmd, &f.runFlags, cfg)
	r, err := bootLive(cfg, &f.liveFlags)
	if err != nil {
		return err
	}
	r.start()
	if f.frames > 0 {
		printFrames(cmd.OutOrStdout(), r.model, f.frames, f.every)
	} else if err := runDashboard(cmd, r.model, f.every); err != nil {
		r.stop()
		r.wait(cmd)
		return err
	}
	r.stop()
	return r.wait(cmd)
}

// printFrames prints n frames of plain text, one every every, or fewer
// when the run ends first.
func printFrames(w io.Writer, m *live.Model, n int, every time.Duration) {
	plain := top.Styles{}
	for i := 1; i <= n; i++ {
		s := m.Snapshot(every)
		fmt.Fprintf(w, "── frame %d ──\n%s", i, top.Render(s, 120, 0, top.Selection{}, plain, ""))
		if s != nil && s.Ended {
			return
		}
		if i < n {
			time.Sleep(every)
		}
	}
}
