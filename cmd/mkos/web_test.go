//go:build !js

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/live"
	"github.com/mkos/mkos/live/web"
)

// webSystem boots what `mkos web` boots and serves it on a test server.
func webSystem(t *testing.T) (*httptest.Server, *liveRun) {
	t.Helper()
	cmd := newWebCmd()
	require.NoError(t, cmd.ParseFlags(nil))
	f := &webFlags{}
	f.speed = "max"
	r, con, err := bootWebSystem(cmd, f)
	require.NoError(t, err)
	srv := httptest.NewServer((&web.Server{Model: r.model, Console: con, Every: 20 * time.Millisecond}).Handler())
	r.start()
	t.Cleanup(func() {
		r.stop()
		con.Close()
		srv.Close()
		require.NoError(t, r.wait(cmd))
	})
	return srv, r
}

func snapshotOf(t *testing.T, srv *httptest.Server) *live.Snapshot {
	t.Helper()
	resp, err := http.Get(srv.URL + "/api/snapshot")
	require.NoError(t, err)
	defer resp.Body.Close()
	var s live.Snapshot
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&s))
	return &s
}

func post(t *testing.T, srv *httptest.Server, body, origin string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", srv.URL+"/api/control", strings.NewReader(body))
	require.NoError(t, err)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestWebServesThePage(t *testing.T) {
	srv, _ := webSystem(t)
	for path, want := range map[string]string{"/": `<script src="app.js">`, "/app.js": "/api/console", "/app.css": "#console"} {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode, path)
		assert.Contains(t, string(b), want, path)
	}
}

func TestWebConsoleRunsTheShell(t *testing.T) {
	srv, _ := webSystem(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/api/console", nil)
	require.NoError(t, err)
	defer c.CloseNow()
	require.NoError(t, c.Write(ctx, websocket.MessageBinary, []byte("ls /\r")))
	var screen strings.Builder
	for !strings.Contains(screen.String(), "tmp") {
		_, b, err := c.Read(ctx)
		require.NoError(t, err, "the screen so far: %q", screen.String())
		screen.Write(b)
	}
	assert.Contains(t, screen.String(), "ls /")
	assert.Contains(t, screen.String(), "etc\nhome\n")
}

func TestWebCrashButtonRestartsFS(t *testing.T) {
	srv, _ := webSystem(t)
	waitFor(t, srv, func(s *live.Snapshot) bool { fs := findService(s, "fs"); return fs != nil && fs.State == "up" })
	code, body := post(t, srv, "crash fs", "")
	require.Equal(t, 200, code, body)
	deadline := time.Now().Add(20 * time.Second)
	var s *live.Snapshot
	for time.Now().Before(deadline) {
		s = snapshotOf(t, srv)
		if fs := findService(s, "fs"); fs != nil && fs.Restarts > 0 && fs.State == "up" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	fs := findService(s, "fs")
	require.NotNil(t, fs)
	assert.Positive(t, fs.Restarts, "fs restarts")
	var log []string
	for _, l := range s.Log {
		log = append(log, l.Kind+" "+l.Who)
	}
	assert.Contains(t, log, "control crash fs")
	assert.Contains(t, log, "death fs")
	assert.Contains(t, log, "restart fs")
}

func TestWebEventsStream(t *testing.T) {
	srv, _ := webSystem(t)
	resp, err := http.Get(srv.URL + "/api/events")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	rd := bufio.NewReader(resp.Body)
	var b struct {
		NowNs int64           `json:"now_ns"`
		IPC   []live.IPCEvent `json:"ipc"`
	}
	for i := 0; i < 500 && len(b.IPC) == 0; i++ { // the first batches may come before the first message
		line, err := rd.ReadString('\n')
		require.NoError(t, err)
		if line == "\n" {
			continue
		}
		require.True(t, strings.HasPrefix(line, "data: "), line)
		require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &b))
	}
	require.NotEmpty(t, b.IPC, "a batch with the boot's messages")
	assert.NotEmpty(t, b.IPC[0].From, "the sender's name")
}

func TestWebRefuses(t *testing.T) {
	srv, _ := webSystem(t)
	tests := []struct {
		name, body, origin string
		want               int
	}{
		{"another origin", "crash fs", "http://evil.example", 403},
		{"an unknown control", "explode fs", "", 400},
		{"a long body", strings.Repeat("x", 1000), "", 400},
		{"bad json", `{"cmd":`, "", 400},
		{"json", `{"cmd":"pause"}`, "", 200},
		{"same origin", "resume", srv.URL, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body := post(t, srv, tc.body, tc.origin)
			assert.Equal(t, tc.want, code, body)
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/api/console",
		&websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"http://evil.example"}}})
	require.Error(t, err, "a console from another origin")
	if resp != nil {
		assert.Equal(t, 403, resp.StatusCode)
	}
}

func TestWebListensOnLoopbackOnly(t *testing.T) {
	_, _, err := mkos(t, "web", "--listen", "0.0.0.0:0")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a loopback address")
}

// waitFor polls the snapshot until ok says yes.
func waitFor(t *testing.T, srv *httptest.Server, ok func(*live.Snapshot) bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ok(snapshotOf(t, srv)) {
			return
		}
	}
	t.Fatal("the snapshot never came to the state waited for")
}

func findService(s *live.Snapshot, name string) *live.Service {
	for i := range s.Services {
		if s.Services[i].Name == name {
			return &s.Services[i]
		}
	}
	return nil
}

// mkos web --max-time stops the system there: the page sees it ended, and
// mkos exits with status 5 when the server stops; a view that stops the
// run itself (^C) is no time limit.
func TestWebMaxTime(t *testing.T) {
	for _, c := range []struct {
		name       string
		args       []string
		wantStatus int
	}{
		{"time limit", []string{"--max-time", "5ms"}, exitTimeLimit},
		{"stopped by the view", nil, exitOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := newWebCmd()
			require.NoError(t, cmd.ParseFlags(c.args))
			f := &webFlags{}
			f.speed, f.maxTime = "max", 5*time.Millisecond // used when the parsed flags have --max-time
			r, con, err := bootWebSystem(cmd, f)
			require.NoError(t, err)
			r.start()
			if c.wantStatus == exitTimeLimit {
				for s := r.model.Snapshot(time.Second); s == nil || !s.Ended; s = r.model.Snapshot(time.Second) {
					time.Sleep(10 * time.Millisecond)
				}
			}
			r.stop()
			con.Close()
			code, msg := exitCode(r.wait(cmd))
			assert.Equal(t, c.wantStatus, code, "mkos web %s: exit status (%s)", strings.Join(c.args, " "), msg)
		})
	}
}
