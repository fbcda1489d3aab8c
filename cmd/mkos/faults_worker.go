package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/faults/shard"
)

// faultsWorkerFlags are mkos faults worker's options.
type faultsWorkerFlags struct {
	nats, name string
	parallel   int
	quiet      bool
}

func newFaultsWorkerCmd() *cobra.Command {
	var f faultsWorkerFlags
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Take ranges of sharded fault campaigns from a NATS server until stopped",
		Long: `Join a NATS server (or cluster) as a worker of sharded fault campaigns: take
ranges of runs from the work queue of every 'mkos faults --nats URL' campaign
on it, make them, and send their results back, until interrupted. Run one on
each machine; a worker killed mid-range loses nothing: the range goes to
another worker after 30 s of silence and is counted once.`,
		Example: `  mkos faults worker --nats nats://10.0.0.1:4222
  mkos faults worker --nats nats://a:4222,nats://b:4222 --parallel 8`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runFaultsWorker(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.nats, "nats", "", "the NATS server: nats://HOST:PORT, or a comma-separated cluster (required)")
	fl.IntVar(&f.parallel, "parallel", 0, "ranges made at once (default: the CPUs)")
	fl.StringVar(&f.name, "name", "", "the worker's name in logs (default: host/pid)")
	fl.BoolVar(&f.quiet, "quiet", false, "do not print a line for each range made")
	return cmd
}

// runFaultsWorker serves until interrupted.
func runFaultsWorker(cmd *cobra.Command, f faultsWorkerFlags) error {
	if f.nats == "" {
		return fmt.Errorf("--nats URL is required: the NATS server the campaigns are on")
	}
	if err := shard.CheckURL(f.nats); err != nil {
		return err
	}
	w := &shard.Worker{Name: f.name, Parallel: f.parallel}
	if w.Parallel == 0 {
		w.Parallel = runtime.GOMAXPROCS(0)
	}
	if !f.quiet {
		errOut := cmd.ErrOrStderr()
		w.Log = func(format string, args ...any) { fmt.Fprintf(errOut, format+"\n", args...) }
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
	defer stop()
	fmt.Fprintf(cmd.ErrOrStderr(), "mkos faults worker: taking ranges from %s, %d at once; interrupt to stop\n", f.nats, w.Parallel)
	return w.Join(ctx, f.nats)
}
