package bench

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/mkos/mkos/boot"
)

// Write prints the report as tables: the cost of an operation in host
// time and in virtual time under each profile, each also relative to
// mono; the counts per operation; the references; the goals.
func (r *Report) Write(w io.Writer) {
	profs := r.profiles()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "workload\tplacement\thost/op\tspread\tallocs/op\t×mono\t"
	for _, p := range profs {
		head += p + "/op\t×mono\t"
	}
	fmt.Fprintln(tw, head)
	for _, x := range r.Results {
		line := fmt.Sprintf("%s\t%s\t%s\t±%.0f%%\t%d\t%s\t", x.Workload, x.Placement, FormatNs(x.NsPerOp),
			50*x.Host.Relative(), x.AllocsPerOp, r.fmtRatio(x, "host"))
		for _, p := range profs {
			line += FormatNs(x.Virtual[p]) + "\t" + r.fmtRatio(x, p) + "\t"
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	fmt.Fprintf(w, "\ncounts per operation (%s run):\n", firstOr(profs, "l4"))
	r.writeCounts(w)
	r.writeNetwork(w)
	fmt.Fprintf(w, "\nreference, measured in this run: coroutine round trip %.1f ns, channel ping-pong %.1f ns, direct interface call %.1f ns\n",
		r.Reference.CoroutineNs, r.Reference.ChannelNs, r.Reference.DirectNs)
	r.writeFlipcall(w)
	if len(r.Goals) > 0 {
		fmt.Fprintln(w, "\ngoals:")
		for _, g := range r.Goals {
			fmt.Fprintf(w, "  [%s] %s: %s\n", g.Verdict, g.Name, g.Detail)
		}
	}
	for _, name := range sortedKeys(r.Missing) {
		fmt.Fprintf(w, "not measured: %s (%s)\n", name, r.Missing[name])
	}
}

// writeCounts prints the counts-per-operation table.
func (r *Report) writeCounts(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\tplacement\tIPCs\tkernel calls\ttraps\tswitches\tbytes copied\tpage faults\tdisk ops\tdisk seeks\tlinks\t")
	for _, x := range r.Results {
		p := x.PerOp
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", x.Workload, x.Placement, num(p.IPCs), num(p.KernelCalls),
			num(p.Traps), num(p.Switches), num(p.BytesCopied), num(p.PageFaults), num(p.DiskOps), num(p.DiskSeeks),
			orDash(strings.Join(x.Links, ",")))
	}
	tw.Flush()
}

// Cost returns x's cost per operation in view: "host" or a profile.
func (x *Result) Cost(view string) float64 {
	if view == "host" {
		return x.NsPerOp
	}
	return x.Virtual[view]
}

// VsMono returns x's cost in view over mono's for the same workload, or 0
// when mono was not measured.
func (r *Report) VsMono(x *Result, view string) float64 {
	m := r.Find(x.Workload, "mono")
	if m == nil {
		return 0
	}
	return ratio(x.Cost(view), m.Cost(view))
}

func (r *Report) fmtRatio(x Result, view string) string {
	v := r.VsMono(&x, view)
	if v == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", v)
}

// CSV writes one line per result, with a header line.
func (r *Report) CSV(w io.Writer) error {
	profs := r.profiles()
	cw := csv.NewWriter(w)
	head := []string{"workload", "placement", "mode", "links", "host_ns_per_op", "host_ns_min", "host_ns_max", "repeats", "iterations", "allocs_per_op"}
	for _, p := range profs {
		head = append(head, "virtual_ns_per_op_"+p)
	}
	head = append(head, "ipcs_per_op", "kernel_calls_per_op", "traps_per_op", "switches_per_op", "bytes_copied_per_op",
		"page_faults_per_op", "disk_ops_per_op", "disk_seeks_per_op")
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, x := range r.Results {
		p := x.PerOp
		row := []string{x.Workload, x.Placement, string(x.Mode), strings.Join(x.Links, " "), f(x.NsPerOp), f(x.Host.Min), f(x.Host.Max),
			strconv.Itoa(x.Repeats), strconv.Itoa(x.Iterations), strconv.FormatInt(x.AllocsPerOp, 10)}
		for _, pr := range profs {
			row = append(row, f(x.Virtual[pr]))
		}
		row = append(row, f(p.IPCs), f(p.KernelCalls), f(p.Traps), f(p.Switches), f(p.BytesCopied), f(p.PageFaults), f(p.DiskOps), f(p.DiskSeeks))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func f(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// FormatNs renders nanoseconds with a unit that keeps 3 significant digits.
func FormatNs(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.3g s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	}
	return fmt.Sprintf("%.3g ns", ns)
}

// num renders a count per operation compactly.
func num(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 1e6:
		return fmt.Sprintf("%.3gM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.3gk", v/1e3)
	case v == float64(int64(v)):
		return strconv.FormatInt(int64(v), 10)
	}
	return fmt.Sprintf("%.3g", v)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func firstOr(s []string, def string) string {
	if len(s) == 0 {
		return def
	}
	return s[0]
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// writeFlipcall prints the raw flipcall round trip and each process
// placement's null call against it (target: at most 1.5×); hybrid keeps
// null in the kernel, where no process is crossed.
func (r *Report) writeFlipcall(w io.Writer) {
	if r.Reference.FlipcallNs == 0 {
		return
	}
	fmt.Fprintf(w, "reference: raw flipcall round trip between two processes %.0f ns\n", r.Reference.FlipcallNs)
	for _, x := range r.Results {
		if x.Workload == "null" && x.Mode == boot.Micro && strings.HasSuffix(x.Placement, "/process") {
			fmt.Fprintf(w, "  null %s: %.2f× the flipcall round trip (target ≤ 1.5×)", x.Placement, x.NsPerOp/r.Reference.FlipcallNs)
			if f := x.ToFlipcall; f.Median > 0 {
				fmt.Fprintf(w, "; %.2f× (%.2f–%.2f) a flipcall round trip measured right after each of %d runs", f.Median, f.Min, f.Max, x.Repeats)
			}
			fmt.Fprintln(w)
		}
	}
}
