package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"text/tabwriter"

	"github.com/mkos/mkos/boot"
)

// Result is one workload measured in one mode.
type Result struct {
	Mode          boot.Mode `json:"mode"`
	Workload      string    `json:"workload"`
	NsPerOp       float64   `json:"ns_per_op"`
	AllocsPerOp   int64     `json:"allocs_per_op"`
	VirtualNsOp   float64   `json:"virtual_ns_per_op"`
	Profile       string    `json:"profile"`
	Iterations    int       `json:"iterations"`
	RatioToCoro   float64   `json:"ratio_to_coroutine"`
	RatioToDirect float64   `json:"ratio_to_direct"`
}

// Report is a whole `mkos bench` run.
type Report struct {
	Results   []Result  `json:"results"`
	Reference Reference `json:"reference"`
}

// Run measures workload in each mode and the references, all in this run.
func Run(workload string, modes []boot.Mode) (*Report, error) {
	wl, ok := Workloads[workload]
	if !ok {
		return nil, fmt.Errorf("unknown workload %q (have %v)", workload, WorkloadNames())
	}
	rep := &Report{Reference: MeasureReference()}
	for _, m := range modes {
		r := testing.Benchmark(wl(m))
		if r.N == 0 {
			return nil, fmt.Errorf("workload %s in %s mode failed", workload, m)
		}
		res := Result{Mode: m, Workload: workload, NsPerOp: nsPerOp(r), AllocsPerOp: r.AllocsPerOp(),
			VirtualNsOp: r.Extra["virtual-ns/op"], Profile: boot.Default().Profile, Iterations: r.N}
		res.RatioToCoro = ratio(res.NsPerOp, rep.Reference.CoroutineNs)
		res.RatioToDirect = ratio(res.NsPerOp, rep.Reference.DirectNs)
		rep.Results = append(rep.Results, res)
	}
	return rep, nil
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// JSON writes the report as one JSON object.
func (r *Report) JSON(w io.Writer) error {
	return json.NewEncoder(w).Encode(r)
}

// Write prints the report as a table.
func (r *Report) Write(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\tmode\thost ns/op\tallocs/op\t× coroutine\t× direct call\tvirtual ns/op (l4)\t")
	for _, x := range r.Results {
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%d\t%.2f\t%.2f\t%.0f\t\n", x.Workload, x.Mode, x.NsPerOp, x.AllocsPerOp, x.RatioToCoro, x.RatioToDirect, x.VirtualNsOp)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nreference, measured in this run: coroutine round trip %.1f ns, channel ping-pong %.1f ns, direct interface call %.1f ns\n",
		r.Reference.CoroutineNs, r.Reference.ChannelNs, r.Reference.DirectNs)
}
