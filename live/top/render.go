package top

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/mkos/mkos/live"
)

// Styles are the colours of a frame; the zero Styles draw plain text.
type Styles struct {
	Title, Head, Sel, Dim, Bad, Good lipgloss.Style
}

// NewStyles returns the styles drawn with r: colours where r's terminal
// has them, plain text elsewhere.
func NewStyles(r *lipgloss.Renderer) Styles {
	return Styles{
		Title: r.NewStyle().Bold(true).Foreground(lipgloss.Color("12")),
		Head:  r.NewStyle().Bold(true),
		Sel:   r.NewStyle().Reverse(true),
		Dim:   r.NewStyle().Foreground(lipgloss.Color("8")),
		Bad:   r.NewStyle().Foreground(lipgloss.Color("9")).Bold(true),
		Good:  r.NewStyle().Foreground(lipgloss.Color("10")),
	}
}

// Selection is what the keys act on: a service (crash, hang, restart) or
// a task (kill).
type Selection struct {
	Tasks   bool // the task list has the focus, else the services
	Service int
	Task    int
}

// HelpLine lists the keys.
const HelpLine = "space pause · s step · +/- speed · 0 max · tab focus · ↑↓ select · c crash · h hang · r restart · x kill · q quit"

// Render draws snapshot s as one frame of at most width columns and
// height lines (0: no limit), with sel marked and status under it.
func Render(s *live.Snapshot, width, height int, sel Selection, st Styles, status string) string {
	if s == nil {
		return "mkos top: waiting for the system's first safe point…\n"
	}
	var b strings.Builder
	line := func(style lipgloss.Style, text string) {
		b.WriteString(style.Render(clip(text, width)))
		b.WriteByte('\n')
	}
	line(st.Title, header(s))
	line(st.Head, "CPU   BUSY  RUNNING           RUN QUEUE")
	for _, c := range s.CPUs {
		cur := c.Cur
		if cur == "" {
			cur = "(idle)"
		}
		line(lipgloss.Style{}, fmt.Sprintf("cpu%-2d %3.0f%%  %-16s  %s", c.ID, 100*c.Busy, cur, strings.Join(c.Queue, " ")))
	}
	line(st.Head, fmt.Sprintf("SERVICE       WHERE  STATE       INST  REQ/S(%s)   P50     P99   ERR  RESTARTS", fmtDur(s.WindowNs)))
	for i, v := range s.Services {
		text := fmt.Sprintf("%-12s  %-5s  %-10s  %4d  %10.1f  %6s  %6s  %4d  %8d",
			v.Name, v.Placement, v.State, len(v.Instances), v.PerSec, fmtDur(v.P50Ns), fmtDur(v.P99Ns), v.Errors, v.Restarts)
		style := lipgloss.Style{}
		switch {
		case !sel.Tasks && i == sel.Service:
			style = st.Sel
		case v.State != "up":
			style = st.Bad
		}
		line(style, text)
	}
	if len(s.Topics) > 0 {
		var ts []string
		for _, tp := range s.Topics {
			ts = append(ts, fmt.Sprintf("%s: %d sub, %d queued, %d dropped", tp.Name, tp.Subscribers, tp.Queued, tp.Dropped))
		}
		line(st.Dim, "TOPICS  "+strings.Join(ts, "; "))
	}
	rows := taskRows(height, s)
	line(st.Head, "SLOT  NAME              STATE          WAITS ON       PRIO  CPU TIME   CPU")
	first := max(0, min(sel.Task-rows+1, len(s.Tasks)-rows))
	for i := first; i < len(s.Tasks) && i < first+rows; i++ {
		t := s.Tasks[i]
		text := fmt.Sprintf("%-4s  %-16s  %-13s  %-13s  %4d  %8s  %4d",
			t.Endpoint, t.Name, t.State, t.WaitsOn, t.Prio, fmtDur(t.RanNs), t.CPU)
		style := lipgloss.Style{}
		switch {
		case sel.Tasks && i == sel.Task:
			style = st.Sel
		case t.State == "hung":
			style = st.Bad
		}
		line(style, text)
	}
	line(st.Head, "LAST IPC")
	for _, e := range tail(s.IPC, 6) {
		line(st.Dim, "  "+e.String())
	}
	line(st.Head, "FAULTS, DEATHS, RESTARTS, CONTROLS")
	for _, l := range tail(s.Log, 5) {
		style := lipgloss.Style{}
		switch l.Kind {
		case "fault", "death", "panic", "inject":
			style = st.Bad
		case "restart":
			style = st.Good
		}
		line(style, "  "+l.String())
	}
	if status != "" {
		line(st.Head, status)
	}
	for _, l := range wrapHelp(width) {
		line(st.Dim, l)
	}
	return b.String()
}

// wrapHelp breaks HelpLine between keys to fit width.
func wrapHelp(width int) []string {
	if width <= 0 || len([]rune(HelpLine)) <= width {
		return []string{HelpLine}
	}
	var out []string
	cur := ""
	for _, item := range strings.Split(HelpLine, " · ") {
		switch {
		case cur == "":
			cur = item
		case len([]rune(cur+" · "+item)) <= width:
			cur += " · " + item
		default:
			out = append(out, cur)
			cur = item
		}
	}
	return append(out, cur)
}

// header is the frame's first line.
func header(s *live.Snapshot) string {
	state := "running"
	switch {
	case s.Ended:
		state = "ended"
	case s.Paused:
		state = "PAUSED"
	}
	speed := "max speed"
	if s.Speed > 0 {
		speed = fmt.Sprintf("speed %g×", s.Speed)
	}
	return fmt.Sprintf("mkos top  t=%s  %s  %s  safe point %d  traps %d  msgs %d  switches %d  deaths %d",
		fmtSec(s.NowNs), state, speed, s.SafePoint, s.Stats.Traps, s.Stats.Messages, s.Stats.Switches, s.Stats.Deaths)
}

// taskRows is how many task lines fit in height beside the rest.
func taskRows(height int, s *live.Snapshot) int {
	if height <= 0 {
		return len(s.Tasks)
	}
	fixed := 1 + 1 + len(s.CPUs) + 1 + len(s.Services) + 1 + 1 + min(len(s.IPC), 6) + 1 + min(len(s.Log), 5) + 3
	if len(s.Topics) > 0 {
		fixed++ // the TOPICS line
	}
	return max(3, height-fixed)
}

func tail[T any](xs []T, n int) []T { return xs[max(0, len(xs)-n):] }

// clip cuts text to width runes (0: no limit).
func clip(text string, width int) string {
	if width <= 0 {
		return text
	}
	r := []rune(text)
	if len(r) <= width {
		return text
	}
	return string(r[:width])
}

// fmtDur renders ns in the largest unit that keeps a whole number.
func fmtDur(ns int64) string {
	switch {
	case ns == 0:
		return "-"
	case ns < 1e3:
		return fmt.Sprintf("%dns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.1fµs", float64(ns)/1e3)
	case ns < 1e9:
		return fmt.Sprintf("%.1fms", float64(ns)/1e6)
	}
	return fmt.Sprintf("%.2fs", float64(ns)/1e9)
}

// fmtSec renders virtual time in seconds, to the microsecond.
func fmtSec(ns int64) string { return fmt.Sprintf("%d.%06ds", ns/1e9, ns%1e9/1e3) }
