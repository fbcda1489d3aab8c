package svcutil

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
)

// svc stats [--json] [NAME]: the bus's metrics of every service (or of
// NAME), and of each of its instances, as rs reads them from the kernel.
// svc scale NAME N: run N instances of NAME.

// statsArgsOK checks `stats [--json] [NAME]`.
func statsArgsOK(args []string) bool {
	rest := args[1:]
	if len(rest) > 0 && rest[0] == "--json" {
		rest = rest[1:]
	}
	return len(rest) <= 1 && (len(rest) == 0 || rest[0] != "--json")
}

// stats prints the metrics as a table, or as JSON with --json.
func stats(out io.Writer, c rsproto.Client, args []string) error {
	asJSON := len(args) > 0 && args[0] == "--json"
	if asJSON {
		args = args[1:]
	}
	all, err := c.Stats()
	if err != nil {
		return err
	}
	sts := all
	if len(args) == 1 {
		sts = nil
		for _, st := range all {
			if st.Name == args[0] {
				sts = append(sts, st)
			}
		}
		if len(sts) == 0 {
			return linux.ENOENT
		}
	}
	if asJSON {
		return writeStatsJSON(out, sts)
	}
	writeStats(out, sts)
	return nil
}

// writeStats prints one line per service and one per instance under it.
func writeStats(out io.Writer, sts []rsproto.ServiceStats) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	window := "-"
	if len(sts) > 0 {
		window = FormatNs(sts[0].WindowNs)
	}
	fmt.Fprintf(tw, "SERVICE\tTASK\tREQ/S(%s)\tIN FLIGHT\tQUEUE\tP50\tP99\tERRORS\tREQUESTS\n", window)
	for _, st := range sts {
		writeMetrics(tw, st.Name, "*", &st.BusMetrics)
		if len(st.Instances) < 2 {
			continue
		}
		for _, in := range st.Instances {
			writeMetrics(tw, "", in.Task.String(), &in.BusMetrics)
		}
	}
	tw.Flush()
}

func writeMetrics(w io.Writer, name, task string, m *ipc.BusMetrics) {
	fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%s\t%s\t%d\t%d\n", name, task, strconv.FormatFloat(m.PerSec(), 'f', 1, 64),
		m.InFlight, m.Queue, latency(m.P50Ns), latency(m.P99Ns), m.Errors, m.Requests)
}

// latency renders a percentile, "-" when nothing finished in the window.
func latency(ns int64) string {
	if ns == 0 {
		return "-"
	}
	return FormatNs(ns)
}

// jsonMetrics is one service's or instance's metrics as --json prints
// them.
type jsonMetrics struct {
	Service   string        `json:"service,omitempty"`
	Task      string        `json:"task,omitempty"`
	PerSec    float64       `json:"per_sec"`
	Requests  int64         `json:"requests"`
	Errors    int64         `json:"errors"`
	InFlight  int64         `json:"in_flight"`
	Queue     int64         `json:"queue"`
	WindowNs  int64         `json:"window_ns"`
	Arrived   int64         `json:"window_arrived"`
	Done      int64         `json:"window_done"`
	Failed    int64         `json:"window_failed"`
	P50Ns     int64         `json:"p50_ns"`
	P99Ns     int64         `json:"p99_ns"`
	MaxNs     int64         `json:"max_ns"`
	AvgFlight float64       `json:"avg_in_flight"`
	Instances []jsonMetrics `json:"instances,omitempty"`
}

func toJSON(m *ipc.BusMetrics) jsonMetrics {
	return jsonMetrics{PerSec: m.PerSec(), Requests: m.Requests, Errors: m.Errors, InFlight: m.InFlight, Queue: m.Queue,
		WindowNs: m.WindowNs, Arrived: m.Arrived, Done: m.Done, Failed: m.Failed, P50Ns: m.P50Ns, P99Ns: m.P99Ns, MaxNs: m.MaxNs, AvgFlight: m.AvgInFlight()}
}

func writeStatsJSON(out io.Writer, sts []rsproto.ServiceStats) error {
	v := make([]jsonMetrics, 0, len(sts))
	for _, st := range sts {
		j := toJSON(&st.BusMetrics)
		j.Service = st.Name
		for _, in := range st.Instances {
			ij := toJSON(&in.BusMetrics)
			ij.Task = in.Task.String()
			j.Instances = append(j.Instances, ij)
		}
		v = append(v, j)
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// scale asks rs for n instances of name.
func scale(out io.Writer, c rsproto.Client, name, n string) error {
	want, err := strconv.Atoi(n)
	if err != nil || want < 1 || want > rsproto.MaxInstances {
		return linux.EINVAL
	}
	before, after, err := c.Scale(name, want)
	if err == nil {
		fmt.Fprintf(out, "%s: %d → %d instances (want %d)\n", name, before, after, want)
	}
	return err
}
