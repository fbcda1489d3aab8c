package schedlab

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/mkos/mkos/lab/osteptool"
)

// Gantt chart geometry, in SVG pixels.
const (
	ganttLeft   = 70  // room for the row labels
	ganttTop    = 44  // room for the title
	ganttRow    = 24  // height of a row
	ganttBar    = 16  // height of a bar in its row
	ganttBottom = 36  // room for the time axis
	ganttWidth  = 960 // the chart's width when units are small
)

// ganttColors are the jobs' colors, reused past ten jobs.
var ganttColors = []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}

// gantt draws one chart.
type gantt struct {
	w       *bufio.Writer
	scale   float64 // ticks per unit
	px      float64 // pixels per unit
	rows    int
	endUnit float64
}

// WriteGantt runs the workload if it has not run yet and writes its
// schedule as an SVG Gantt chart: a row per job with a bar where it ran
// (for MLFQ, paler at lower priority), a dashed box while it waited for
// I/O and a mark where it arrived, an idle row, and the time in units.
func (l *Lab) WriteGantt(w io.Writer) error {
	if err := l.StandIn(); err != nil {
		return err
	}
	res, err := l.Run()
	if err != nil {
		return err
	}
	g := &gantt{w: bufio.NewWriter(w), scale: float64(res.TicksPerUnit), rows: len(l.work.Jobs) + 1}
	g.endUnit = math.Max(float64(res.EndTick)/g.scale, 1)
	g.px = math.Min(math.Max(ganttWidth/g.endUnit, 1), 40)
	title := fmt.Sprintf("mkos sched: %s %s, %d jobs", l.tool.name(), l.tool.policy(), len(l.work.Jobs))
	if res.TicksPerUnit > 1 {
		title += fmt.Sprintf(" (a unit is %d kernel ticks)", res.TicksPerUnit)
	}
	width := math.Max(ganttLeft+g.endUnit*g.px+20, float64(ganttLeft+8*len(title)))
	height := float64(ganttTop + g.rows*ganttRow + ganttBottom)
	fmt.Fprintf(g.w, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n",
		width, height, width, height)
	fmt.Fprintf(g.w, "<title>%s</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", esc(title))
	fmt.Fprintf(g.w, "<text x=\"%d\" y=\"24\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", ganttLeft, esc(title))
	for j := range l.work.Jobs {
		g.label(j, fmt.Sprintf("job %d", j))
	}
	g.label(len(l.work.Jobs), "idle")
	g.runs(l, res)
	g.events(res)
	g.axis()
	fmt.Fprintln(g.w, "</svg>")
	return g.w.Flush()
}

// x returns the horizontal position of a time in ticks.
func (g *gantt) x(tick int64) float64 { return ganttLeft + float64(tick)/g.scale*g.px }

// y returns the top of row's bar.
func (g *gantt) y(row int) float64 { return float64(ganttTop+row*ganttRow) + (ganttRow-ganttBar)/2 }

// label writes a row's name and its background stripe.
func (g *gantt) label(row int, name string) {
	top := ganttTop + row*ganttRow
	if row%2 == 0 {
		fmt.Fprintf(g.w, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f4f4f4\"/>\n",
			ganttLeft, top, g.endUnit*g.px, ganttRow)
	}
	fmt.Fprintf(g.w, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", ganttLeft-8, top+16, esc(name))
}

// bar draws a run of row from start to end ticks.
func (g *gantt) bar(row int, start, end int64, fill string, opacity float64, tip string) {
	fmt.Fprintf(g.w, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\" fill-opacity=\"%.2f\"><title>%s</title></rect>\n",
		g.x(start), g.y(row), g.x(end)-g.x(start), ganttBar, fill, opacity, esc(tip))
}

// runs draws who ran when: the slices, or for MLFQ the ticks grouped by
// job and priority; and the idle ticks.
func (g *gantt) runs(l *Lab, res *Result) {
	idle := len(l.work.Jobs)
	mlfq, isMLFQ := l.tool.(*mlfqTool)
	if !isMLFQ {
		for _, s := range res.Slices {
			g.bar(s.Job, s.Start, s.End, color(s.Job), 1, fmt.Sprintf("job %d: %s to %s", s.Job, g.units(s.Start), g.units(s.End)))
		}
	}
	level := func(t int64) int { // the job's queue in tick t, for MLFQ
		if !isMLFQ || res.PerTick[t] < 0 || t >= int64(len(res.States)) {
			return -1
		}
		return res.States[t].Level
	}
	for t := int64(0); t < int64(len(res.PerTick)); {
		j, end := res.PerTick[t], t+1
		for end < int64(len(res.PerTick)) && res.PerTick[end] == j && level(end) == level(t) {
			end++
		}
		switch {
		case j < 0:
			g.bar(idle, t, end, "#999999", 0.6, fmt.Sprintf("idle: %s to %s", g.units(t), g.units(end)))
		case isMLFQ:
			lv := max(level(t), 0)
			prio := len(mlfq.quant) - 1 - lv
			g.bar(j, t, end, color(j), 1-0.6*float64(lv)/float64(max(len(mlfq.quant)-1, 1)),
				fmt.Sprintf("job %d at priority %d: %s to %s", j, prio, g.units(t), g.units(end)))
		}
		t = end
	}
}

// events draws the arrivals and the I/Os.
func (g *gantt) events(res *Result) {
	ioFrom := map[int]int64{}
	for _, e := range res.Events {
		switch e.Kind {
		case Begin:
			fmt.Fprintf(g.w, "<path d=\"M%.2f %.1f l-4 -6 h8 z\" fill=\"#333\"><title>job %d arrives at %s</title></path>\n",
				g.x(e.Tick), g.y(e.Job), e.Job, g.units(e.Tick))
		case IOStart:
			ioFrom[e.Job] = e.Tick
		case IODone:
			from := ioFrom[e.Job]
			fmt.Fprintf(g.w, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"none\" stroke=\"%s\" stroke-dasharray=\"3,2\"><title>job %d in I/O: %s to %s</title></rect>\n",
				g.x(from), g.y(e.Job)+2, g.x(e.Tick)-g.x(from), ganttBar-4, color(e.Job), e.Job, g.units(from), g.units(e.Tick))
		}
	}
}

// axis draws the time axis under the rows, with a label every few units.
func (g *gantt) axis() {
	y := ganttTop + g.rows*ganttRow + 4
	fmt.Fprintf(g.w, "<line x1=\"%d\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>\n", ganttLeft, y, ganttLeft+g.endUnit*g.px, y)
	step := niceStep(g.endUnit / 12)
	for u := 0.0; u <= g.endUnit+1e-9; u += step {
		x := ganttLeft + u*g.px
		fmt.Fprintf(g.w, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>\n", x, y, x, y+4)
		fmt.Fprintf(g.w, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x, y+16, pyTrim(u))
	}
	fmt.Fprintf(g.w, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\">time (units)</text>\n", ganttLeft+g.endUnit*g.px, y+30)
}

// units formats ticks as units.
func (g *gantt) units(ticks int64) string { return pyTrim(float64(ticks) / g.scale) }

// niceStep returns the smallest of 1, 2, 5, 10, 20, 50, ... at least x.
func niceStep(x float64) float64 {
	for p := 1.0; ; p *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if m*p >= x {
				return m * p
			}
		}
	}
}

// pyTrim formats f with no trailing zeros: 3, 2.5.
func pyTrim(f float64) string { return strings.TrimSuffix(osteptool.PyFloat(f), ".0") }

func color(job int) string { return ganttColors[job%len(ganttColors)] }

// esc escapes s for SVG text.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
