//go:build !js

package top

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/mkos/mkos/live"
)

// Source is what the dashboard watches and controls: a live.Model.
type Source interface {
	Snapshot(wait time.Duration) *live.Snapshot
	Control(cmd string) error
	Speed() float64
}

// Model is the bubbletea model of the dashboard.
type Model struct {
	src    Source
	every  time.Duration
	styles Styles
	snap   *live.Snapshot
	sel    Selection
	status string
	width  int
	height int
	// Quit is set when the user quit (q, ctrl+c).
	Quit bool
}

// New returns a dashboard of src redrawn every every, drawn with styles.
func New(src Source, every time.Duration, styles Styles) *Model {
	return &Model{src: src, every: every, styles: styles, width: 100, height: 40}
}

// snapMsg carries a fresh snapshot.
type snapMsg struct{ s *live.Snapshot }

// fetch asks the source for a snapshot after the frame interval.
func (m *Model) fetch() tea.Cmd {
	return tea.Tick(m.every, func(time.Time) tea.Msg { return snapMsg{m.src.Snapshot(m.every)} })
}

// Init starts the frames.
func (m *Model) Init() tea.Cmd {
	return func() tea.Msg { return snapMsg{m.src.Snapshot(m.every)} }
}

// Update takes a snapshot, a resize or a key.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case snapMsg:
		if msg.s != nil {
			m.snap = msg.s
			m.clamp()
		}
		return m, m.fetch()
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyMsg:
		return m, m.key(msg.String())
	}
	return m, nil
}

// View draws the current frame.
func (m *Model) View() string {
	return Render(m.snap, m.width, m.height, m.sel, m.styles, m.status)
}

// Selected returns the selection (for tests).
func (m *Model) Selected() Selection { return m.sel }

// key runs the control bound to key k.
func (m *Model) key(k string) tea.Cmd {
	switch k {
	case "q", "ctrl+c":
		m.Quit = true
		return tea.Quit
	case " ", "p":
		if m.snap != nil && m.snap.Paused {
			m.control("resume")
		} else {
			m.control("pause")
		}
	case "s", "n":
		m.control("step")
	case "+", "=":
		if v := m.src.Speed(); v > 0 {
			m.control(fmt.Sprintf("speed %g", v*2))
		}
	case "-", "_":
		m.control(fmt.Sprintf("speed %g", speedDown(m.src.Speed())))
	case "0":
		m.control("speed max")
	case "tab":
		m.sel.Tasks = !m.sel.Tasks
	case "up", "k":
		m.move(-1)
	case "down", "j":
		m.move(1)
	case "c", "h", "r":
		if svc := m.service(); svc != "" {
			m.control(map[string]string{"c": "crash", "h": "hang", "r": "restart"}[k] + " " + svc)
		}
	case "x":
		if ep := m.task(); ep != "" {
			m.control("kill " + ep)
		}
	}
	return nil
}

// control sends c and shows what came of it.
func (m *Model) control(c string) {
	if err := m.src.Control(c); err != nil {
		m.status = "error: " + err.Error()
		return
	}
	m.status = "sent: " + c
}

func (m *Model) move(d int) {
	if m.sel.Tasks {
		m.sel.Task += d
	} else {
		m.sel.Service += d
	}
	m.clamp()
}

// clamp keeps the selection inside the lists.
func (m *Model) clamp() {
	if m.snap == nil {
		return
	}
	m.sel.Service = max(0, min(m.sel.Service, len(m.snap.Services)-1))
	m.sel.Task = max(0, min(m.sel.Task, len(m.snap.Tasks)-1))
}

func (m *Model) service() string {
	if m.snap == nil || m.sel.Service >= len(m.snap.Services) {
		return ""
	}
	return m.snap.Services[m.sel.Service].Name
}

func (m *Model) task() string {
	if m.snap == nil || m.sel.Task >= len(m.snap.Tasks) {
		return ""
	}
	return m.snap.Tasks[m.sel.Task].Endpoint
}

// speedDown halves the speed; from max speed it goes to 1 virtual second
// per wall second.
func speedDown(v float64) float64 {
	if v <= 0 {
		return 1
	}
	return v / 2
}
