package bench

import (
	"fmt"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Plots: for each view of cost (host time, and virtual time under each
// profile) one chart of grouped bars, a group per workload and a bar per
// placement, each bar the placement's time per operation relative to
// mono's (mono = 1, the dashed line). Without a mono column the bars are
// absolute, in µs.

// Chart is one saved chart: its view and its files.
type Chart struct {
	View  string
	Title string
	Files []string // base names: .png and .svg
}

// views returns "host" and the report's profiles.
func (r *Report) views() []string { return append([]string{"host"}, r.profiles()...) }

// viewTitle names a view for people.
func viewTitle(view string) string {
	if view == "host" {
		return "host time (this machine)"
	}
	return "virtual time, " + view + " profile"
}

// Plot writes one chart per view into dir as PNG and SVG.
func (r *Report) Plot(dir string) ([]Chart, error) {
	var out []Chart
	for _, v := range r.views() {
		p, err := r.chart(v)
		if err != nil {
			return out, err
		}
		c := Chart{View: v, Title: p.Title.Text}
		base := "cost-" + v
		for _, ext := range []string{".png", ".svg"} {
			if err := p.Save(8*vg.Inch, 4*vg.Inch, filepath.Join(dir, base+ext)); err != nil {
				return out, err
			}
			c.Files = append(c.Files, base+ext)
		}
		out = append(out, c)
	}
	return out, nil
}

// chart builds the chart of one view.
func (r *Report) chart(view string) (*plot.Plot, error) {
	workloads, placements := r.axes()
	relative := r.hasMono()
	p := plot.New()
	p.Title.Text = "time per operation: " + viewTitle(view)
	p.Y.Label.Text = "µs per operation"
	if relative {
		p.Title.Text = "time per operation relative to mono: " + viewTitle(view)
		p.Y.Label.Text = "× mono"
	}
	p.Y.Min = 0
	w := vg.Points(60 / float64(max(len(placements), 1)))
	for i, pl := range placements {
		vals := make(plotter.Values, len(workloads))
		for j, wl := range workloads {
			if x := r.Find(wl, pl); x != nil {
				vals[j] = x.Cost(view) / 1000
				if relative {
					vals[j] = r.VsMono(x, view)
				}
			}
		}
		bars, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", view, err)
		}
		bars.LineStyle.Width = 0
		bars.Color = plotutil.Color(i)
		bars.Offset = w * vg.Length(float64(i)-float64(len(placements)-1)/2)
		p.Add(bars)
		p.Legend.Add(pl, bars)
	}
	if relative {
		one := plotter.NewFunction(func(float64) float64 { return 1 })
		one.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(one)
	}
	p.Legend.Top = true
	p.NominalX(workloads...)
	return p, nil
}

// axes returns the workloads and placements in the order first measured.
func (r *Report) axes() (workloads, placements []string) {
	seenW, seenP := map[string]bool{}, map[string]bool{}
	for _, x := range r.Results {
		if !seenW[x.Workload] {
			seenW[x.Workload] = true
			workloads = append(workloads, x.Workload)
		}
		if !seenP[x.Placement] {
			seenP[x.Placement] = true
			placements = append(placements, x.Placement)
		}
	}
	return workloads, placements
}

func (r *Report) hasMono() bool {
	for _, x := range r.Results {
		if x.Placement == "mono" {
			return true
		}
	}
	return false
}
