//go:build !js

package top

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/mkos/mkos/live"
)

// Split is `mkos shell --top`: the dashboard over the console, split
// screen. Keys go to the shell; ctrl+t gives them to the dashboard and
// back.
type Split struct {
	Dash    *Model
	Console *live.Console
	// Dashboard: the dashboard has the keys, else the shell.
	Dashboard bool
	width     int
	height    int
}

// consoleShare is the part of the screen the console gets.
const consoleShare = 0.4

// NewSplit returns the split screen of dashboard d over console c.
func NewSplit(d *Model, c *live.Console) *Split {
	return &Split{Dash: d, Console: c, width: 100, height: 50}
}

// Init starts the dashboard's frames.
func (s *Split) Init() tea.Cmd { return s.Dash.Init() }

// Update sends keys to the shell or the dashboard and resizes both.
func (s *Split) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.width, s.height = msg.Width, msg.Height
		s.Dash.Update(tea.WindowSizeMsg{Width: msg.Width, Height: s.dashHeight()})
		return s, nil
	case tea.KeyMsg:
		if msg.String() == "ctrl+t" {
			s.Dashboard = !s.Dashboard
			return s, nil
		}
		if !s.Dashboard {
			if b := keyBytes(msg); b != nil {
				s.Console.Type(b)
			}
			return s, nil
		}
	}
	_, cmd := s.Dash.Update(msg)
	if s.Dash.snap != nil && s.Dash.snap.Ended {
		return s, tea.Quit // the shell exited: the run is over
	}
	return s, cmd
}

func (s *Split) dashHeight() int { return s.height - s.consoleHeight() - 1 }

func (s *Split) consoleHeight() int { return max(3, int(float64(s.height)*consoleShare)) }

// View draws the dashboard, a rule naming who has the keys, and the
// console's last lines.
func (s *Split) View() string {
	var b strings.Builder
	dash := strings.Split(strings.TrimRight(s.Dash.View(), "\n"), "\n")
	if h := max(s.dashHeight(), 1); len(dash) > h {
		help := len(wrapHelp(s.width)) // the help stays: cut above it
		dash = append(dash[:max(h-help, 0)], dash[len(dash)-help:]...)
	}
	b.WriteString(strings.Join(dash, "\n"))
	b.WriteByte('\n')
	rule := "── console: keys go to the shell · ctrl+t: keys to the dashboard "
	if s.Dashboard {
		rule = "── console · keys go to the DASHBOARD · ctrl+t: keys to the shell "
	}
	b.WriteString(clip(rule+strings.Repeat("─", max(0, s.width-len([]rune(rule)))), s.width))
	for _, l := range s.Console.Lines(s.consoleHeight()) {
		b.WriteByte('\n')
		b.WriteString(clip(l, s.width))
	}
	return b.String()
}

// keyBytes is what a key types at a terminal: its runes, or the control
// character of enter, backspace, tab and ctrl+letter.
func keyBytes(k tea.KeyMsg) []byte {
	switch k.Type {
	case tea.KeyRunes:
		return []byte(string(k.Runes))
	case tea.KeySpace:
		return []byte{' '}
	case tea.KeyEnter:
		return []byte{'\r'}
	case tea.KeyBackspace:
		return []byte{0x7f}
	case tea.KeyTab:
		return []byte{'\t'}
	case tea.KeyEscape:
		return []byte{0x1b}
	}
	if k.Type >= tea.KeyCtrlA && k.Type <= tea.KeyCtrlZ {
		return []byte{byte(k.Type)}
	}
	return nil
}
