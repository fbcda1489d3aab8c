package live_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/live"
)

// recorder keeps every event, and their JSON lines.
type recorder struct {
	events []kernel.Event
	json   bytes.Buffer
}

func (r *recorder) Event(e *kernel.Event) {
	r.events = append(r.events, *e)
	r.json.Write(e.AppendJSON(nil))
	r.json.WriteByte('\n')
}

// demo is the default configuration with the echo server in user space.
func demo() boot.Config {
	cfg := boot.Default()
	cfg.Workload.Calls = 200
	return cfg
}

// runWith boots cfg with a model of options o, runs it to its end and
// returns the model and the trace.
func runWith(t *testing.T, cfg boot.Config, o live.Options) (*live.Model, *recorder) {
	t.Helper()
	rec := &recorder{}
	o.Inner = rec
	m := live.New(o)
	sys, err := boot.Boot(cfg, m)
	require.NoError(t, err)
	m.Attach(sys.Kernel)
	_, err = sys.Run()
	require.NoError(t, err)
	m.Finish()
	require.NoError(t, sys.Close())
	return m, rec
}

func TestSnapshotShowsTheSystem(t *testing.T) {
	m, _ := runWith(t, demo(), live.Options{})
	s := m.Latest()
	require.NotNil(t, s)
	assert.True(t, s.Ended, "Ended")
	assert.Positive(t, s.NowNs)
	require.Len(t, s.CPUs, 1)
	echo := service(s, "echo")
	require.NotNil(t, echo, "echo in %v", s.Services)
	assert.Equal(t, "user", echo.Placement)
	assert.Equal(t, int64(600), echo.Requests, "echo requests: 3 clients × 200 calls")
	assert.Positive(t, echo.P50Ns)
	assert.GreaterOrEqual(t, echo.P99Ns, echo.P50Ns)
	assert.Equal(t, "up", echo.State)
	require.NotNil(t, service(s, "null"))
	require.NotEmpty(t, s.IPC)
	assert.Contains(t, s.IPC[len(s.IPC)-1].String(), "→")
}

func TestRatesAreOverTheWindow(t *testing.T) {
	m := live.New(live.Options{})
	cfg := demo()
	cfg.BusWindow = boot.Duration(time.Millisecond)
	sys, err := boot.Boot(cfg, m)
	require.NoError(t, err)
	m.Attach(sys.Kernel)
	m.Pause()
	done := make(chan error)
	go func() { _, err := sys.Run(); done <- err }()
	s := m.Snapshot(5 * time.Second) // paused at the first safe point
	require.NotNil(t, s)
	assert.True(t, s.Paused, "Paused")
	first := s.NowNs
	for i := 0; i < 2000; i++ {
		m.Step()
	}
	s = m.Snapshot(5 * time.Second)
	for s.SafePoint < 2001 {
		s = m.Snapshot(5 * time.Second)
	}
	assert.Greater(t, s.NowNs, first, "virtual time moved with the steps")
	echo := service(s, "echo")
	require.NotNil(t, echo)
	assert.Positive(t, echo.PerSec, "echo requests/s in the last ms")
	m.Resume()
	require.NoError(t, <-done)
	m.Finish()
	sys.Close()
}

func TestStepIsOneSafePoint(t *testing.T) {
	m := live.New(live.Options{Paused: true})
	sys, err := boot.Boot(demo(), m)
	require.NoError(t, err)
	m.Attach(sys.Kernel)
	done := make(chan error)
	go func() { _, err := sys.Run(); done <- err }()
	s0 := m.Snapshot(5 * time.Second)
	require.NotNil(t, s0)
	m.Step()
	s1 := waitPast(m, s0.SafePoint)
	assert.Equal(t, s0.SafePoint+1, s1.SafePoint, "SafePoint after one step")
	assert.True(t, s1.Paused)
	m.Resume()
	require.NoError(t, <-done)
	m.Finish()
	sys.Close()
}

// waitPast asks for snapshots until one is past safe point p.
func waitPast(m *live.Model, p uint64) *live.Snapshot {
	for {
		if s := m.Snapshot(time.Second); s != nil && s.SafePoint > p {
			return s
		}
	}
}

func TestPlacementInTheKernel(t *testing.T) {
	cfg := demo()
	cfg.Mode = boot.Mono
	m, _ := runWith(t, cfg, live.Options{})
	echo := service(m.Latest(), "echo")
	require.NotNil(t, echo)
	assert.Equal(t, "kernel", echo.Placement)
	assert.Equal(t, "up", echo.State)
}

func TestObservingChangesNothing(t *testing.T) {
	plain := &recorder{}
	sys, err := boot.Boot(demo(), plain)
	require.NoError(t, err)
	_, err = sys.Run()
	require.NoError(t, err)
	sys.Close()
	_, watched := runWith(t, demo(), live.Options{})
	assert.Equal(t, plain.json.String(), watched.json.String(), "the trace of a watched run")
}

func TestCrashIsRecordedAndReplays(t *testing.T) {
	script := live.Script{{At: 300, Cmd: live.Command{Op: live.Crash, Target: "echo"}}}
	m, first := runWith(t, demo(), live.Options{Script: script})
	s := m.Latest()
	assert.Equal(t, []string{"crash echo"}, s.Controlled)
	assert.Positive(t, service(s, "echo").Restarts, "echo restarts")
	log := logText(s)
	assert.Contains(t, log, "inject")
	assert.Contains(t, log, "restart")
	assert.Contains(t, log, "crash echo control done")

	got, err := live.ScriptOf(first.events)
	require.NoError(t, err)
	require.Equal(t, script, got, "ScriptOf(trace)")
	_, again := runWith(t, demo(), live.Options{Script: got})
	assert.Equal(t, first.json.String(), again.json.String(), "the replayed trace")
}

func TestClicksReplayFromTheirTrace(t *testing.T) {
	cfg := demo()
	rec := &recorder{}
	m := live.New(live.Options{Inner: rec, Paused: true})
	sys, err := boot.Boot(cfg, m)
	require.NoError(t, err)
	m.Attach(sys.Kernel)
	done := make(chan error)
	go func() { _, err := sys.Run(); done <- err }()
	s := m.Snapshot(5 * time.Second)
	for range 500 {
		m.Step()
	}
	s = waitPast(m, s.SafePoint+499)
	require.NoError(t, m.Control("kill "+slotOf(t, s, "client1")))
	require.NoError(t, m.Control("hang echo"))
	for range 500 {
		m.Step()
	}
	s = waitPast(m, s.SafePoint+499)
	require.NoError(t, m.Control("restart echo"))
	m.Resume()
	require.NoError(t, <-done)
	m.Finish()
	sys.Close()
	final := m.Latest()
	require.Len(t, final.Controlled, 3)
	assert.True(t, strings.HasPrefix(final.Controlled[0], "kill "), final.Controlled[0])
	assert.Contains(t, logText(final), "death")

	script, err := live.ScriptOf(rec.events)
	require.NoError(t, err)
	require.Len(t, script, 3)
	_, again := runWith(t, cfg, live.Options{Script: script})
	assert.Equal(t, rec.json.String(), again.json.String(), "the replayed trace")
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		name, in string
		want     live.Command
		err      string
	}{
		{"crash", "crash fs", live.Command{Op: live.Crash, Target: "fs"}, ""},
		{"kill by slot", "kill 12", live.Command{Op: live.Kill, Target: "12"}, ""},
		{"kill by endpoint", "kill 12.3", live.Command{Op: live.Kill, Target: "12.3"}, ""},
		{"unknown", "explode fs", live.Command{}, "unknown control"},
		{"no target", "crash", live.Command{}, "want OP TARGET"},
		{"slot zero", "kill 0", live.Command{}, "no task slot"},
		{"bad endpoint", "kill 3.x", live.Command{}, "no task endpoint"},
		{"long name", "crash " + strings.Repeat("x", 40), live.Command{}, "no service name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := live.ParseCommand(tc.in)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got, "ParseCommand(%q)", tc.in)
		})
	}
}

func service(s *live.Snapshot, name string) *live.Service {
	for i := range s.Services {
		if s.Services[i].Name == name {
			return &s.Services[i]
		}
	}
	return nil
}

func slotOf(t *testing.T, s *live.Snapshot, name string) string {
	for _, task := range s.Tasks {
		if task.Name == name {
			return task.Endpoint
		}
	}
	t.Fatalf("no task %s in %v", name, s.Tasks)
	return ""
}

func logText(s *live.Snapshot) string {
	var b strings.Builder
	for _, l := range s.Log {
		b.WriteString(l.Who + " " + l.Kind + " " + l.Detail + "\n")
	}
	return b.String()
}

func TestOpName(t *testing.T) {
	tests := []struct {
		name, svc string
		typ       uint16
		want      string
	}{
		{"fs open", "fs", 1, "open"},
		{"echo", "echo", 1, "echo"},
		{"a tty write", "tty", 3, "write"},
		{"a ping", "anything", 0xff02, "ping"},
		{"unknown", "nobody", 7, "0x7"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, live.OpName(tc.svc, ipc.Type(tc.typ)), "OpName(%s, %d)", tc.svc, tc.typ)
		})
	}
}

func TestHangIsFoundByRS(t *testing.T) {
	script := live.Script{{At: 300, Cmd: live.Command{Op: live.Hang, Target: "echo"}}}
	m, _ := runWith(t, demo(), live.Options{Script: script})
	s := m.Latest()
	log := logText(s)
	assert.Contains(t, log, "echo inject hang hits echo")
	assert.Contains(t, log, "echo restart")
	assert.Positive(t, service(s, "echo").Restarts, "echo restarts after rs's ping went unanswered")
}
