//go:build !js

package top

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/live"
)

// fake is a Source that records the controls it is sent.
type fake struct {
	snap  *live.Snapshot
	sent  []string
	speed float64
}

func (f *fake) Snapshot(time.Duration) *live.Snapshot { return f.snap }
func (f *fake) Control(c string) error                { f.sent = append(f.sent, c); return nil }
func (f *fake) Speed() float64                        { return f.speed }

func snapshot() *live.Snapshot {
	return &live.Snapshot{
		NowNs: 1_500_000, SafePoint: 42, Speed: 0.5, WindowNs: 1e9,
		CPUs: []live.CPU{{ID: 0, Cur: "client0", Queue: []string{"client1", "echo"}, Busy: 0.5}},
		Services: []live.Service{
			{Name: "echo", Placement: "user", State: "up", Instances: []string{"echo 1.1"}, PerSec: 1234, P50Ns: 1024, P99Ns: 4096},
			{Name: "fs", Placement: "user", State: "restarting", Restarts: 2},
		},
		Tasks: []live.Task{
			{Endpoint: "1.1", Name: "echo", State: "receiving"},
			{Endpoint: "2.1", Name: "client0", State: "running", RanNs: 2_000_000},
			{Endpoint: "3.1", Name: "client1", State: "await-reply", WaitsOn: "echo"},
		},
		IPC:    []live.IPCEvent{{From: "client0", To: "echo", Op: "ping", Replied: true}},
		Log:    []live.LogEntry{{T: 1000, Kind: "restart", Who: "fs", Detail: "4.2"}},
		Topics: []live.Topic{{Name: "rs/state", Subscribers: 1, Queued: 2, Dropped: 3}},
	}
}

// loaded returns a dashboard that has taken its first snapshot.
func loaded(f *fake) *Model {
	m := New(f, time.Millisecond, Styles{})
	m.Update(m.Init()())
	return m
}

func TestViewShowsTheSystem(t *testing.T) {
	m := loaded(&fake{snap: snapshot()})
	v := m.View()
	for _, want := range []string{
		"t=0.001500s", "speed 0.5×", "safe point 42",
		"cpu0", "client0", "client1 echo",
		"echo", "1234.0", "1.0µs", "4.1µs", "restarting",
		"await-reply", "client0 → echo.ping → reply 0", "restart", "c crash", "q quit",
		"TOPICS  rs/state: 1 sub, 2 queued, 3 dropped",
	} {
		assert.Contains(t, v, want)
	}
}

func TestViewBeforeTheFirstSnapshot(t *testing.T) {
	m := New(&fake{}, time.Millisecond, Styles{})
	assert.Contains(t, m.View(), "waiting for the system's first safe point")
}

func TestViewFitsTheTerminal(t *testing.T) {
	m := loaded(&fake{snap: snapshot()})
	m.Update(tea.WindowSizeMsg{Width: 30, Height: 20})
	for _, l := range strings.Split(strings.TrimRight(m.View(), "\n"), "\n") {
		assert.LessOrEqual(t, len([]rune(l)), 30, "line %q", l)
	}
}

func TestKeysSendControls(t *testing.T) {
	tests := []struct {
		name  string
		keys  []tea.KeyMsg
		speed float64
		want  []string
	}{
		{"pause", keys(" "), 0.5, []string{"pause"}},
		{"step", keys("s"), 0.5, []string{"step"}},
		{"faster", keys("+"), 0.5, []string{"speed 1"}},
		{"slower", keys("-"), 0.5, []string{"speed 0.25"}},
		{"slower from max", keys("-"), 0, []string{"speed 1"}},
		{"max", keys("0"), 0.5, []string{"speed max"}},
		{"crash the first service", keys("c"), 0.5, []string{"crash echo"}},
		{"hang the second", append(keys("down"), keys("h")...), 0.5, []string{"hang fs"}},
		{"restart", keys("r"), 0.5, []string{"restart echo"}},
		{"kill the selected task", append(keys("tab", "down"), keys("x")...), 0.5, []string{"kill 2.1"}},
		{"selection stays in the list", append(keys("up", "up"), keys("c")...), 0.5, []string{"crash echo"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fake{snap: snapshot(), speed: tc.speed}
			m := loaded(f)
			for _, k := range tc.keys {
				m.Update(k)
			}
			assert.Equal(t, tc.want, f.sent, "controls sent")
		})
	}
}

func TestQuit(t *testing.T) {
	m := loaded(&fake{snap: snapshot()})
	_, cmd := m.Update(keys("q")[0])
	require.NotNil(t, cmd)
	assert.IsType(t, tea.QuitMsg{}, cmd())
	assert.True(t, m.Quit)
}

// keys turns key names into key messages.
func keys(names ...string) []tea.KeyMsg {
	var out []tea.KeyMsg
	for _, n := range names {
		switch n {
		case "up":
			out = append(out, tea.KeyMsg{Type: tea.KeyUp})
		case "down":
			out = append(out, tea.KeyMsg{Type: tea.KeyDown})
		case "tab":
			out = append(out, tea.KeyMsg{Type: tea.KeyTab})
		case " ":
			out = append(out, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
		default:
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(n)})
		}
	}
	return out
}
