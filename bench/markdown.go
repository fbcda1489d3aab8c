package bench

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// WriteDir writes the report into dir: report.md with the tables, the
// goals and the machine, the charts as PNG and SVG beside it, and
// report.json. The directory is created if needed.
func (r *Report) WriteDir(dir, command string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	charts, err := r.Plot(dir)
	if err != nil {
		return err
	}
	md, err := os.Create(filepath.Join(dir, "report.md"))
	if err != nil {
		return err
	}
	r.Markdown(md, command, charts)
	if err := md.Close(); err != nil {
		return err
	}
	js, err := os.Create(filepath.Join(dir, "report.json"))
	if err != nil {
		return err
	}
	if err := r.JSON(js); err != nil {
		js.Close()
		return err
	}
	return js.Close()
}

// Markdown renders the report as a Markdown page.
func (r *Report) Markdown(w io.Writer, command string, charts []Chart) {
	fmt.Fprintf(w, "# mkos bench report\n\nMeasured %s", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	if r.Machine != nil {
		fmt.Fprintf(w, " on %s", r.Machine)
	}
	fmt.Fprintf(w, ".\n\nRegenerate with:\n\n    %s\n\n", command)
	if s := r.Settings; s != nil {
		fmt.Fprintf(w, "Settings: profiles %s; host time %d× at least %s each; seqio file %d MiB; %s disk; mixed computes %s per job.\n\n",
			strings.Join(s.Profiles, ", "), s.Repeat, s.BenchTime, s.SeqBytes>>20, s.DiskKind, FormatNs(float64(s.ComputeNs)))
	}
	if len(r.Goals) > 0 {
		fmt.Fprintln(w, "## Goals\n\n| goal | criterion | verdict | measured |\n|---|---|---|---|")
		for _, g := range r.Goals {
			fmt.Fprintf(w, "| %s | %s | **%s** | %s |\n", g.Name, g.Target, g.Verdict, g.Detail)
		}
		fmt.Fprintln(w)
	}
	r.mdCost(w)
	r.mdCounts(w)
	if r.hasNetwork() {
		fmt.Fprint(w, "## Network\n\n```\n")
		r.writeNetwork(w)
		fmt.Fprint(w, "```\n\n")
	}
	for _, c := range charts {
		fmt.Fprintf(w, "### %s\n\n![%s](%s)\n\n(also [SVG](%s))\n\n", c.Title, c.Title, c.Files[0], c.Files[len(c.Files)-1])
	}
	fmt.Fprintf(w, "## References measured in this run\n\ncoroutine round trip %.1f ns, channel ping-pong %.1f ns, direct interface call %.1f ns.\n",
		r.Reference.CoroutineNs, r.Reference.ChannelNs, r.Reference.DirectNs)
	for _, name := range sortedKeys(r.Missing) {
		fmt.Fprintf(w, "\nNot measured: **%s**: %s.\n", name, r.Missing[name])
	}
}

// mdCost is the cost table: host and virtual time, each against mono.
func (r *Report) mdCost(w io.Writer) {
	profs := r.profiles()
	fmt.Fprint(w, "## Time per operation\n\nHost time is the median over the repeats (± half the spread); ×mono is the ratio to mono for the same workload.\n\n| workload | placement | host | ± | allocs | ×mono |")
	for _, p := range profs {
		fmt.Fprintf(w, " %s | ×mono |", p)
	}
	fmt.Fprint(w, "\n|---|---|"+strings.Repeat("---:|", 4+2*len(profs))+"\n")
	for _, x := range r.Results {
		fmt.Fprintf(w, "| %s | %s | %s | %.0f%% | %d | %s |", x.Workload, x.Placement, FormatNs(x.NsPerOp), 50*x.Host.Relative(), x.AllocsPerOp, r.fmtRatio(x, "host"))
		for _, p := range profs {
			fmt.Fprintf(w, " %s | %s |", FormatNs(x.Virtual[p]), r.fmtRatio(x, p))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

// mdCounts is the counts-per-operation table.
func (r *Report) mdCounts(w io.Writer) {
	fmt.Fprintln(w, "## Counts per operation\n\nFrom the kernel's counters (IPCs are messages delivered; a request to a server in the kernel is a kernel call instead) and the simulated disk's.\n\n| workload | placement | IPCs | kernel calls | traps | switches | bytes copied | page faults | disk ops | disk seeks | links |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, x := range r.Results {
		p := x.PerOp
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", x.Workload, x.Placement, num(p.IPCs), num(p.KernelCalls),
			num(p.Traps), num(p.Switches), num(p.BytesCopied), num(p.PageFaults), num(p.DiskOps), num(p.DiskSeeks), orDash(strings.Join(x.Links, ", ")))
	}
	fmt.Fprintln(w)
}
