package bench

import (
	"fmt"
	"io"
	"time"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/cluster"
	"github.com/mkos/mkos/ipc"
)

// Across nodes. `mkos bench --nodes N --workload null,fileio` runs each
// workload's benchmark task on one node and its servers on another, in
// one process over an embedded NATS server (boot/cluster), and measures
// in the same run the raw NATS request round trip the calls ride on.

// NodesReport is a cross-node measurement.
type NodesReport struct {
	Nodes int
	// RawNATSNs are the host times of one raw NATS request round trip
	// (nats.Conn.Request against an in-process responder), measured next
	// to each workload's.
	RawNATSNs []float64
	Rows      []NodesRow
}

// NodesRow is one workload's figures, on one node and across nodes.
type NodesRow struct {
	Workload string
	// LocalHostNs and CrossHostNs are host ns per operation with the
	// servers on the benchmark's node and on another node.
	LocalHostNs, CrossHostNs float64
	// LocalVirtualNs and CrossVirtualNs are virtual ns per operation.
	LocalVirtualNs, CrossVirtualNs float64
	// Hops is the calls per operation that crossed the wire.
	Hops float64
	// RawNATSNs is the raw NATS request round trip measured alongside.
	RawNATSNs float64
}

// nodesRepeat is how many times the raw request and the cross-node run
// alternate.
const nodesRepeat = 3

// nodesConfig is the cluster that runs w across nodes: the benchmark's
// node "client" with no server, the workload's servers on "server", and
// nodes-2 more nodes with none.
func nodesConfig(w *Workload, s Setup, nodes int) (boot.Config, error) {
	cfg, err := s.config(w)
	if err != nil {
		return cfg, err
	}
	cfg.Links = nil
	cfg.Nodes = []boot.NodeConf{{Name: "client", Servers: []boot.ServerConf{}}, {Name: "server", Servers: cfg.Servers}}
	for i := 2; i < nodes; i++ {
		cfg.Nodes = append(cfg.Nodes, boot.NodeConf{Name: fmt.Sprintf("n%d", i), Servers: []boot.ServerConf{}})
	}
	return cfg, cfg.Check()
}

// measureNodes runs n operations of w with its servers on another node.
func measureNodes(w *Workload, s Setup, nodes, n int, tm timer) (Counts, error) {
	cfg, err := nodesConfig(w, s, nodes)
	if err != nil {
		return Counts{}, err
	}
	c, err := cluster.New(cfg, cluster.Options{})
	if err != nil {
		return Counts{}, err
	}
	defer c.Close()
	if srv := c.Node("server").System; srv.Disk != nil {
		if err := srv.FormatDisk(); err != nil {
			return Counts{}, err
		}
	}
	sys := c.Node("client").System
	var counts Counts
	var failed error
	if _, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "bench", Body: func(t ipc.Sys) {
		counts, failed = runOps(w, &Env{Sys: t, System: sys, Setup: s}, n, tm)
	}}); err != nil {
		return counts, err
	}
	if _, err := c.Run(); err != nil {
		return counts, fmt.Errorf("%s across %d nodes: %w", w.Name, nodes, err)
	}
	if failed != nil {
		return counts, fmt.Errorf("%s across %d nodes: %w", w.Name, nodes, failed)
	}
	if counts.Ops != n {
		return counts, fmt.Errorf("%s across %d nodes: the benchmark task did not finish its %d operations", w.Name, nodes, n)
	}
	return counts, nil
}

// hostPerOp grows the operations until a run lasts benchtime, as
// measureHost does, and returns host and virtual ns per operation and
// the last run's counts.
func hostPerOp(run func(n int, tm timer) (Counts, error), benchtime time.Duration) (float64, Counts, error) {
	n := 1
	for {
		var tm hostTimer
		c, err := run(n, &tm)
		if err != nil {
			return 0, c, err
		}
		if tm.elapsed >= benchtime || n >= 1_000_000_000 {
			return float64(tm.elapsed.Nanoseconds()) / float64(n), c, nil
		}
		n = nextN(n, tm.elapsed, benchtime)
	}
}

// RunNodes measures each named workload locally and across nodes, and
// the raw NATS request, in one run.
func RunNodes(names []string, s Setup, nodes int, benchtime time.Duration) (*NodesReport, error) {
	if nodes < 2 {
		return nil, fmt.Errorf("--nodes: %d; a cross-node benchmark needs at least 2", nodes)
	}
	r := &NodesReport{Nodes: nodes}
	for _, name := range names {
		w := Suite[name]
		if w == nil {
			return nil, fmt.Errorf("--workload: %q is not one of %v", name, WorkloadNames())
		}
		local, lc, err := hostPerOp(func(n int, tm timer) (Counts, error) { return measure(w, s, n, tm) }, benchtime)
		if err != nil {
			return nil, err
		}
		// The machine is shared: the raw request and the cross-node run
		// alternate, three times, and the median of each is reported.
		var crosses, raws []float64
		var cc Counts
		for range nodesRepeat {
			raw, err := cluster.RawRequest(max(int(benchtime/(20*time.Microsecond)), 1000))
			if err != nil {
				return nil, err
			}
			raws = append(raws, float64(raw.Nanoseconds()))
			cross, c, err := hostPerOp(func(n int, tm timer) (Counts, error) { return measureNodes(w, s, nodes, n, tm) }, benchtime)
			if err != nil {
				return nil, err
			}
			crosses, cc = append(crosses, cross), c
		}
		cross := spread(crosses).Median
		r.RawNATSNs = append(r.RawNATSNs, spread(raws).Median)
		row := NodesRow{Workload: name, LocalHostNs: local, CrossHostNs: cross, RawNATSNs: spread(raws).Median,
			LocalVirtualNs: float64(lc.VirtualNs) / float64(lc.Ops), CrossVirtualNs: float64(cc.VirtualNs) / float64(cc.Ops)}
		for _, n := range w.Needs {
			row.Hops += float64(cc.Requests[n]) / float64(cc.Ops)
		}
		r.Rows = append(r.Rows, row)
	}
	return r, nil
}

// Write prints the report as a table, with each cross-node operation's
// host time per wire round trip against the raw NATS request's.
func (r *NodesReport) Write(w io.Writer) {
	fmt.Fprintf(w, "across %d nodes, in one process over an embedded NATS server (host time per operation)\n\n", r.Nodes)
	fmt.Fprintf(w, "%-8s %10s %11s %8s %10s %18s %13s %13s\n", "workload", "local", "cross-node", "hops/op", "raw NATS", "wire cost / hop", "virtual local", "virtual cross")
	for _, row := range r.Rows {
		perHop := max(row.CrossHostNs-row.LocalHostNs, 0) / max(row.Hops, 1) // what crossing added, per call that crossed
		fmt.Fprintf(w, "%-8s %10s %11s %8.1f %10s %18s %13s %13s\n", row.Workload, ns(row.LocalHostNs), ns(row.CrossHostNs), row.Hops, ns(row.RawNATSNs),
			fmt.Sprintf("%s (%.2f×)", ns(perHop), perHop/row.RawNATSNs), ns(row.LocalVirtualNs), ns(row.CrossVirtualNs))
	}
	fmt.Fprintf(w, "\nraw NATS: one nats.Conn.Request round trip against an in-process responder, measured in the same run (medians of %d, alternating with the cross-node runs); wire cost / hop: (cross-node − local) / hops, against the raw request; target: a cross-node null call ≤ 1.5× the raw request\n", nodesRepeat)
}

// ns formats nanoseconds for the table.
func ns(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fms", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.2fµs", v/1e3)
	}
	return fmt.Sprintf("%.0fns", v)
}
