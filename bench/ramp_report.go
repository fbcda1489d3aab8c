package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// WriteRamp prints the ramp runs: a summary line each, then the timeline
// side by side.
func WriteRamp(w io.Writer, reps []*RampReport) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "AUTOSCALE\tREQUESTS\tERRORS\tP50\tP99\tMAX INSTANCES\tINSTANCE-TIME")
	for _, r := range reps {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%d\t%s\n", onOff(r.Autoscale), r.Requests, r.Errors+int64(r.ClientErrors),
			fmtNs(r.P50Ns), fmtNs(r.P99Ns), r.MaxInstances, fmtNs(r.InstanceNsSum))
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "TIME\tCLIENTS")
	for _, r := range reps {
		fmt.Fprintf(tw, "\tINST(%s)\tREQ/S(%s)\tP99(%s)", onOff(r.Autoscale), onOff(r.Autoscale), onOff(r.Autoscale))
	}
	fmt.Fprintln(tw)
	for i := range reps[0].Samples {
		s := reps[0].Samples[i]
		fmt.Fprintf(tw, "%s\t%d", fmtNs(s.TimeNs), s.Clients)
		for _, r := range reps {
			if i < len(r.Samples) {
				x := r.Samples[i]
				fmt.Fprintf(tw, "\t%d\t%.0f\t%s", x.Instances, x.PerSec, fmtNs(x.P99Ns))
			}
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// fmtNs renders virtual ns for tables: 1.5ms, 300µs, 80ns, - for 0.
func fmtNs(ns int64) string {
	switch {
	case ns == 0:
		return "-"
	case ns >= 1e6:
		return fmt.Sprintf("%.1fms", float64(ns)/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.0fµs", float64(ns)/1e3)
	}
	return fmt.Sprintf("%dns", ns)
}

// PlotRamp writes two charts into dir, as PNG and SVG: instances over
// time, and p99 latency over time, a line per run.
func PlotRamp(dir string, reps []*RampReport) ([]Chart, error) {
	var out []Chart
	for _, c := range []struct {
		base, title, y string
		val            func(RampSample) float64
	}{
		{"ramp-instances", "worker instances over virtual time", "instances", func(s RampSample) float64 { return float64(s.Instances) }},
		{"ramp-p99", "worker p99 latency over the bus's window", "p99 (ms)", func(s RampSample) float64 { return float64(s.P99Ns) / 1e6 }},
	} {
		p := plot.New()
		p.Title.Text, p.X.Label.Text, p.Y.Label.Text = c.title, "virtual time (ms)", c.y
		p.Y.Min = 0
		for i, r := range reps {
			pts := make(plotter.XYs, len(r.Samples))
			for j, s := range r.Samples {
				pts[j].X, pts[j].Y = float64(s.TimeNs)/1e6, c.val(s)
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return out, err
			}
			l.Color = plotutil.Color(i)
			l.Width = vg.Points(2)
			p.Add(l)
			p.Legend.Add("autoscale "+onOff(r.Autoscale), l)
		}
		p.Legend.Top = true
		ch := Chart{View: c.base, Title: c.title}
		for _, ext := range []string{".png", ".svg"} {
			if err := p.Save(8*vg.Inch, 4*vg.Inch, filepath.Join(dir, c.base+ext)); err != nil {
				return out, err
			}
			ch.Files = append(ch.Files, c.base+ext)
		}
		out = append(out, ch)
	}
	return out, nil
}

// WriteRampDir writes ramp.md (the tables and the charts), the charts and
// ramp.json into dir.
func WriteRampDir(dir, command string, reps []*RampReport) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	charts, err := PlotRamp(dir, reps)
	if err != nil {
		return err
	}
	md, err := os.Create(filepath.Join(dir, "ramp.md"))
	if err != nil {
		return err
	}
	fmt.Fprintf(md, "# mkos bench: the ramp workload\n\n`%s`\n\nLoad on the worker service rises and falls; the autoscaler (servers/autoscale) scales it from the bus's metrics. Every number is the bus's (svc stats shows the same); virtual time, deterministic for the seed.\n\n```\n", command)
	WriteRamp(md, reps)
	fmt.Fprintln(md, "```")
	for _, c := range charts {
		fmt.Fprintf(md, "\n![%s](%s)\n", c.Title, c.Files[0])
	}
	if err := md.Close(); err != nil {
		return err
	}
	js, err := os.Create(filepath.Join(dir, "ramp.json"))
	if err != nil {
		return err
	}
	enc := json.NewEncoder(js)
	enc.SetIndent("", "  ")
	if err := enc.Encode(reps); err != nil {
		js.Close()
		return err
	}
	return js.Close()
}
