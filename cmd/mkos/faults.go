package main

import (
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/procplace"
	"github.com/mkos/mkos/faults"
	"github.com/mkos/mkos/faults/shard"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// faultsFlags are mkos faults' options.
type faultsFlags struct {
	mode, config, workload, targets, kinds string
	isolation                              string
	count, perRun, parallel, show, nodes   int
	nodeKinds                              string
	// workers and nats shard the campaign (faults/shard).
	workers            int
	nats               string
	seed               uint64
	gap, slow, maxTime time.Duration
	noFail, link       bool
}

func newFaultsCmd() *cobra.Command {
	var f faultsFlags
	cmd := &cobra.Command{
		Use:   "faults",
		Short: "Run a fault-injection campaign and check the invariants",
		Long: `Run a workload again and again while a controller task injects faults into
its servers at seeded points — crash (a panic in the handler), hang (it stops
answering), garbage (a corrupted reply), slow (a delayed reply) — and check
after every run: no kernel panic (in mono, and in hybrid for a server placed in
the kernel, the fault halting the system is the expected result), fsck clean,
every fsync'ed byte intact, every errno a program sees documented for its
protocol, no program dead in a stub, every job's output correct or failed with
an errno, no task blocked forever, every service back up. Garbage replies are
checked by the client stubs (EIO for a reply they cannot believe); a wrong
output or a SIGSEGV that a believable garbage reply caused is counted, not a
violation.

It prints the faults by target and kind, the restarts, the user-visible errors
by errno, the bytes lost and the recovery times; every violated invariant comes
with the seed and the command that replays that run exactly. The exit status
is 1 when an invariant was violated (unless --no-fail).

With --workers N or --nats URL the campaign is sharded through NATS
JetStream: its runs are cut into ranges of seeds on a work queue, workers
make them and stream the results back, and the report is the one the same
campaign gives on its own, byte for byte (a violation's replay command runs
on one machine). --workers N starts N workers in this process over a NATS
server embedded in it (nothing to install); --nats URL uses a NATS server or
cluster instead, where 'mkos faults worker --nats URL' on each machine takes
ranges too. A range whose worker dies is made again by another and counted
once.`,
		Example: `  mkos faults --mode micro --workload mixed --count 1000 --seed 1
  mkos faults --mode hybrid --kinds crash --targets fs,disk,ds
  mkos faults --mode mono --count 20 --per-run 1
  mkos faults --count 1000000 --workers 2
  mkos faults --count 1000000 --nats nats://10.0.0.1:4222 --workers 2
  mkos faults --nodes 3 --count 50 --node-kinds kill,partition,slow
  mkos faults --mode micro --isolation process --count 200 --kinds crash,hang,slow
  mkos faults --mode micro --isolation process --targets fs,disk,mm --kinds kill9,exit,panic,stackoverflow,oom,mapwrite,goroutinepanic,syscall,spin
  mkos faults --mode micro --workload tcp --count 200
  mkos faults --link --count 20 --per-run 5 --kinds burst,partition`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runFaults(cmd, f) },
	}
	cmd.AddCommand(newFaultsWorkerCmd())
	fl := cmd.Flags()
	fl.StringVar(&f.mode, "mode", "micro", "placement: micro, mono or hybrid")
	fl.StringVar(&f.isolation, "isolation", "", "isolation of user-space servers: task, or process (each server that can in a sandboxed host process; Linux)")
	fl.StringVar(&f.config, "config", "", "boot configuration file whose placements to use (its mode unless --mode is given)")
	fl.StringVar(&f.workload, "workload", "mixed", "workload: "+strings.Join(faults.WorkloadNames(), ", "))
	fl.IntVar(&f.count, "count", faults.DefaultCount, "faults to inject in all")
	fl.IntVar(&f.perRun, "per-run", faults.DefaultPerRun, "faults injected in one run of the workload")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of the campaign; run i is seeded with seed+i")
	fl.StringVar(&f.targets, "targets", strings.Join(faults.AllTargets, ","), "services to inject into (those not booted are left out)")
	fl.StringVar(&f.kinds, "kinds", "crash,hang,garbage,slow", "faults to inject")
	fl.DurationVar(&f.gap, "gap", time.Duration(faults.DefaultGapNs), "mean virtual time between faults")
	fl.DurationVar(&f.slow, "slow", time.Duration(faults.DefaultSlowNs), "delay of a slow fault")
	fl.DurationVar(&f.maxTime, "max-time", 0, "stop each run at this virtual time (default: an hour, which no run reaches); mkos exits with status 5 if a run was stopped there")
	fl.IntVar(&f.parallel, "parallel", 0, "runs at once (default: the CPUs)")
	fl.IntVar(&f.show, "show", 10, "violating runs to print in full")
	fl.IntVar(&f.workers, "workers", 0, "shard the campaign over this many workers in this process, through NATS JetStream (with --nats, 0 unless given: the workers are elsewhere)")
	fl.StringVar(&f.nats, "nats", "", "shard the campaign through this NATS server (nats://HOST:PORT, or a comma-separated cluster) instead of one embedded here; 'mkos faults worker --nats URL' elsewhere takes ranges too")
	fl.IntVar(&f.nodes, "nodes", 0, "a campaign across this many nodes (one process, embedded NATS): clients on one node call echo on the others while one node fault per run strikes (--count runs)")
	fl.StringVar(&f.nodeKinds, "node-kinds", strings.Join(faults.NodeKinds, ","), "with --nodes: the node faults, of "+strings.Join(faults.NodeKinds, ", "))
	fl.BoolVar(&f.noFail, "no-fail", false, "exit 0 even when invariants were violated (a campaign run to find out)")
	fl.BoolVar(&f.link, "link", false, "strike the wire between two machines and host2's NIC driver instead of servers, during TCP transfers: --kinds from "+strings.Join(faults.LinkKinds, ", ")+" (default all); --count/--per-run runs")
	return cmd
}

// runFaults checks the flags, runs the campaign and prints its report.
func runFaults(cmd *cobra.Command, f faultsFlags) error {
	if (f.link || f.nodes > 0) && sharded(cmd, f) {
		return fmt.Errorf("--link and --nodes campaigns run on one machine: drop --workers and --nats")
	}
	if f.link {
		return runLinkFaults(cmd, f)
	}
	if f.nodes > 0 {
		return runNodeFaults(cmd, f)
	}
	c, err := faultsCampaign(cmd, f)
	if err != nil {
		return err
	}
	if p := newProgress(cmd.ErrOrStderr()); p != nil {
		c.Progress = func(done, total int) { p(done, total, fmt.Sprintf("run %d of %d", done, total)) }
	}
	t0 := time.Now()
	rep, over, err := runCampaign(cmd, f, c)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	rep.Write(out, f.show)
	fmt.Fprintf(out, "host time: %s for %d faults%s\n", time.Since(t0).Round(time.Millisecond), rep.Total, over)
	if !rep.OK() && !f.noFail {
		return fmt.Errorf("%d invariant violations in %d runs", rep.ViolationCount(), len(rep.Violating))
	}
	if rep.CutOff > 0 {
		return &stopped{exitTimeLimit, fmt.Sprintf("the time limit, %s of virtual time, was reached: %d of %d runs stopped before their workload ended", kernel.FormatNs(int64(f.maxTime)), rep.CutOff, len(rep.Runs))}
	}
	return nil
}

// faultsCampaign turns the flags into a campaign, refusing bad ones.
func faultsCampaign(cmd *cobra.Command, f faultsFlags) (faults.Campaign, error) {
	c := faults.Campaign{Isolation: f.isolation, Workload: f.workload, Count: f.count, PerRun: f.perRun, Seed: f.seed,
		GapNs: int64(f.gap), SlowNs: int64(f.slow), MaxTimeNs: int64(f.maxTime), Parallel: f.parallel, Targets: splitList(f.targets)}
	if f.config != "" {
		cfg, err := boot.Load(f.config)
		if err != nil {
			return c, err
		}
		c.Base, c.ConfigPath = &cfg, f.config
	}
	if f.config == "" || cmd.Flags().Changed("mode") {
		ms, err := parseModes(f.mode)
		if err != nil || len(ms) != 1 {
			return c, fmt.Errorf("--mode: %q is not one of micro, mono, hybrid", f.mode)
		}
		c.Mode = ms[0]
	}
	for _, k := range splitList(f.kinds) {
		if kind, ok := ipc.ParseInjection(k); ok {
			c.Kinds = append(c.Kinds, kind)
			continue
		}
		host, ok := procplace.ParseHostFault(k)
		if !ok {
			return c, fmt.Errorf("--kinds: %q is not one of crash, hang, garbage, slow, or with --isolation process %s", k, hostFaultKinds())
		}
		c.HostKinds = append(c.HostKinds, host)
	}
	if f.count < 1 || f.perRun < 1 {
		return c, fmt.Errorf("--count and --per-run must be at least 1")
	}
	return c, checkSharding(cmd, f)
}

// sharded reports whether the campaign goes over NATS workers.
func sharded(cmd *cobra.Command, f faultsFlags) bool {
	return cmd.Flags().Changed("workers") || f.nats != ""
}

// checkSharding refuses --workers and --nats that cannot make a campaign.
func checkSharding(cmd *cobra.Command, f faultsFlags) error {
	if !sharded(cmd, f) {
		return nil
	}
	if cmd.Flags().Changed("parallel") {
		return fmt.Errorf("--parallel is for a campaign on its own; a sharded one runs one range at a time in each of its --workers")
	}
	if f.nats == "" && f.workers < 1 {
		return fmt.Errorf("--workers %d: a sharded campaign needs at least 1 worker (or --nats URL, with 'mkos faults worker' elsewhere)", f.workers)
	}
	if f.nats != "" {
		return shard.CheckURL(f.nats)
	}
	return nil
}

// runCampaign runs the campaign on its own or sharded, and says over
// what workers.
func runCampaign(cmd *cobra.Command, f faultsFlags, c faults.Campaign) (*faults.Report, string, error) {
	if !sharded(cmd, f) {
		rep, err := faults.Run(c)
		return rep, "", err
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
	defer stop()
	rep, err := shard.Run(ctx, shard.Options{Campaign: c, Workers: f.workers, URL: f.nats})
	over := fmt.Sprintf(", sharded over %d workers in this process", f.workers)
	if f.nats != "" {
		over = fmt.Sprintf(", sharded through %s over %d workers in this process and those elsewhere", f.nats, f.workers)
	}
	return rep, over, err
}

// runLinkFaults runs a campaign of link faults between two machines.
func runLinkFaults(cmd *cobra.Command, f faultsFlags) error {
	c := faults.LinkCampaign{Mode: boot.Mode(f.mode), PerRun: f.perRun, Seed: f.seed}
	c.Runs = max(1, f.count/max(f.perRun, 1))
	if cmd.Flags().Changed("kinds") {
		c.Kinds = splitList(f.kinds)
	}
	t0 := time.Now()
	rep, err := faults.RunLink(c)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	rep.Write(out)
	fmt.Fprintf(out, "host time: %s\n", time.Since(t0).Round(time.Millisecond))
	if !rep.OK() && !f.noFail {
		return fmt.Errorf("%d invariant violations", len(rep.Violations))
	}
	return nil
}

// runNodeFaults is `mkos faults --nodes N`: node faults across a cluster.
func runNodeFaults(cmd *cobra.Command, f faultsFlags) error {
	t0 := time.Now()
	rep, err := faults.RunNodes(faults.NodeCampaign{Nodes: f.nodes, Runs: f.count, Seed: f.seed, Kinds: splitList(f.nodeKinds)})
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	rep.Write(out, f.show)
	fmt.Fprintf(out, "host time: %s for %d runs\n", time.Since(t0).Round(time.Millisecond), len(rep.Runs))
	if !rep.OK() && !f.noFail {
		return fmt.Errorf("invariants violated across nodes")
	}
	return nil
}
