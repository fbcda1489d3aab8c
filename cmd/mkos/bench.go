package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/bench"
	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/kernel"
)

// benchFlags are mkos bench's options.
type benchFlags struct {
	workload, modes, config, profiles, disk, report string
	isolation, autoscale                            string
	links, asJSON, asCSV, large                     bool
	repeat, nodes                                   int
	benchtime, compute, maxTime                     time.Duration
}

func newBenchCmd() *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure workloads in each placement mode",
		Long: `Run workloads in each placement and report two views of their cost:
host time (what this Go implementation spends: ns and allocations per
operation; --repeat N gives the median and spread) and virtual time under
each cost profile (l4, mach, modern), with the kernel's and the disk's counts
per operation: IPCs, kernel calls, context switches, bytes copied, disk
seeks. The host's reference costs (a coroutine round trip, a channel
ping-pong, a direct interface call) are measured in the same run.

Workloads: ` + strings.Join(bench.WorkloadNames(), ", ") + `; and ramp, load on a
scalable worker service rising and falling over virtual time, with the
autoscaler on, off, or both (--autoscale): instances and latency
percentiles over time, from the bus's metrics. The goals of the
comparison (micro within 1.3× of mono on mixed, hybrid closing half the gap,
l4 near L4Linux's 5%, mach showing the old slowness) are judged at the end.`,
		Example: `  mkos bench --workload null
  mkos bench --workload mixed --repeat 5 --links
  mkos bench --workload null,fileio,mixed --modes micro --isolation task,process
  mkos bench --config hybrid.yaml --json
  mkos bench --report out/
  mkos bench --workload ramp --autoscale on --report out/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runBench(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.workload, "workload", "all", "comma-separated workloads, or all: "+strings.Join(bench.WorkloadNames(), ", ")+" (tcp: tcp-bulk and tcp-rr)")
	fl.StringVar(&f.modes, "modes", "micro,mono,hybrid", "comma-separated modes")
	fl.StringVar(&f.isolation, "isolation", "task", "comma-separated isolations of user-space servers: task, process (Linux; a raw flipcall round trip is measured too)")
	fl.StringVar(&f.config, "config", "", "also measure the placement of this boot configuration file")
	fl.BoolVar(&f.links, "links", false, "also measure with hybrid direct links (fs→disk) on")
	fl.StringVar(&f.profiles, "profiles", strings.Join(bench.DefaultProfiles, ","), "cost profiles for virtual time: "+strings.Join(kernel.ProfileNames(), ", "))
	fl.IntVar(&f.repeat, "repeat", 1, "host-time measurements per workload and placement (median and spread)")
	fl.DurationVar(&f.benchtime, "benchtime", time.Second, "least host time of one measurement")
	fl.BoolVar(&f.large, "large", false, "seqio writes 64 MiB instead of 8 MiB")
	fl.StringVar(&f.disk, "disk", "ssd", "simulated disk: ssd or hdd")
	fl.DurationVar(&f.compute, "compute", time.Duration(bench.DefaultComputeNs), "virtual CPU time of one mixed job's own work")
	fl.DurationVar(&f.maxTime, "max-time", 0, "stop each measured system at this virtual time (0: none); mkos exits with status 5 if one was stopped there")
	fl.IntVar(&f.nodes, "nodes", 0, "run each workload's servers on another node of a cluster of this many (in one process over an embedded NATS server), next to the raw NATS request round trip (default workloads: null,fileio)")
	fl.BoolVar(&f.asJSON, "json", false, "print one JSON object")
	fl.BoolVar(&f.asCSV, "csv", false, "print CSV, one line per workload and placement")
	fl.StringVar(&f.autoscale, "autoscale", "on,off", "ramp workload: on, off, or on,off (both, side by side)")
	fl.StringVar(&f.report, "report", "", "write report.md, charts (PNG, SVG) and report.json into this directory")
	return cmd
}

// runBench checks the flags, measures, and prints.
func runBench(cmd *cobra.Command, f benchFlags) error {
	if err := exclusive(cmd, "json", "csv"); err != nil {
		return err
	}
	if f.workload == "ramp" {
		return runRamp(cmd, f)
	}
	if f.nodes > 0 {
		return runBenchNodes(cmd, f)
	}
	o, err := benchOptions(f)
	if err != nil {
		return err
	}
	o.Progress = newProgress(cmd.ErrOrStderr())
	rep, err := bench.RunWith(o)
	if err != nil {
		return benchError(err, f.maxTime)
	}
	out := cmd.OutOrStdout()
	if f.report != "" {
		if err := rep.WriteDir(f.report, "mkos "+strings.Join(os.Args[1:], " ")); err != nil {
			return err
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "mkos: report written to %s/report.md\n", f.report)
	}
	switch {
	case f.asJSON:
		return rep.JSON(out)
	case f.asCSV:
		return rep.CSV(out)
	}
	rep.Write(out)
	return nil
}

// benchError is the error of a bench that failed: a measurement stopped
// at --max-time (maxTime) is exit status 5.
func benchError(err error, maxTime time.Duration) error {
	if errors.Is(err, bench.ErrTimeLimit) {
		return &stopped{exitTimeLimit, fmt.Sprintf("the time limit, %s of virtual time, was reached: %v", kernel.FormatNs(int64(maxTime)), err)}
	}
	return err
}

// benchOptions turns the flags into bench options, refusing bad ones
// before anything runs.
func benchOptions(f benchFlags) (bench.Options, error) {
	var o bench.Options
	ms, err := parseModes(f.modes)
	if err != nil {
		return o, err
	}
	if f.workload != "all" {
		o.Workloads = bench.Expand(splitList(f.workload))
		if len(o.Workloads) == 0 {
			return o, fmt.Errorf("--workload %q: name a workload (%s) or all", f.workload, strings.Join(bench.WorkloadNames(), ", "))
		}
		for _, w := range o.Workloads {
			if bench.Suite[w] == nil {
				if why, ok := bench.Missing[w]; ok {
					return o, fmt.Errorf("--workload: %q cannot run yet: %s", w, why)
				}
				return o, fmt.Errorf("--workload: %q is not one of %s", w, strings.Join(bench.WorkloadNames(), ", "))
			}
		}
	}
	var cfg *boot.Config
	if f.config != "" {
		c, err := boot.Load(f.config)
		if err != nil {
			return o, err
		}
		cfg = &c
	}
	o.Placements = bench.Placements(ms, f.links, cfg, f.config)
	isos := splitList(f.isolation)
	for _, iso := range isos {
		if iso != boot.IsolationTask && iso != boot.IsolationProcess {
			return o, fmt.Errorf("--isolation: %q is not task or process", iso)
		}
	}
	o.Placements = bench.WithIsolations(o.Placements, isos)
	o.Profiles = splitList(f.profiles)
	o.Repeat, o.BenchTime, o.DiskKind, o.ComputeNs, o.MaxTimeNs = f.repeat, f.benchtime, f.disk, int64(f.compute), int64(f.maxTime)
	if f.large {
		o.SeqBytes = bench.LargeSeqBytes
	}
	if f.disk != "ssd" && f.disk != "hdd" {
		return o, fmt.Errorf("--disk: %q is not ssd or hdd", f.disk)
	}
	if f.repeat < 1 {
		return o, fmt.Errorf("--repeat: %d must be at least 1", f.repeat)
	}
	return o, nil
}

// splitList splits a comma-separated list, dropping spaces.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// parseModes splits and checks a comma-separated mode list.
func parseModes(s string) ([]boot.Mode, error) {
	var out []boot.Mode
	for _, m := range strings.Split(s, ",") {
		mode := boot.Mode(strings.TrimSpace(m))
		switch mode {
		case boot.Micro, boot.Mono, boot.Hybrid:
			out = append(out, mode)
		default:
			return nil, fmt.Errorf("--modes: %q is not one of micro, mono, hybrid", m)
		}
	}
	return out, nil
}

// newProgress returns a progress bar on w when w is a terminal, else nil:
// quiet in pipes, files and CI logs.
func newProgress(w io.Writer) func(done, total int, step string) {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(done, total int, step string) {
		const width = 30
		filled := width * done / max(total, 1)
		fmt.Fprintf(f, "\r\x1b[K[%s%s] %3d%% %s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), 100*done/max(total, 1), step)
		if done == total {
			fmt.Fprint(f, "\r\x1b[K")
		}
	}
}

// runBenchNodes is `mkos bench --nodes N`: each workload locally and
// across nodes, and the raw NATS request, in one run.
func runBenchNodes(cmd *cobra.Command, f benchFlags) error {
	names := splitList(f.workload)
	if f.workload == "all" {
		names = []string{"null", "fileio"}
	}
	s := bench.Setup{Mode: boot.Micro, DiskKind: f.disk, ComputeNs: int64(f.compute)}
	ms, err := parseModes(f.modes)
	if err != nil {
		return err
	}
	if len(ms) == 1 {
		s.Mode = ms[0]
	}
	r, err := bench.RunNodes(names, s, f.nodes, f.benchtime)
	if err != nil {
		return benchError(err, f.maxTime)
	}
	r.Write(cmd.OutOrStdout())
	return nil
}
