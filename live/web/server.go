package web

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/mkos/mkos/live"
)

//go:embed assets
var assets embed.FS

// Server serves the page and the API of one live model.
type Server struct {
	Model   *live.Model
	Console *live.Console // nil: the system has no console
	// Every is how often snapshots and event batches go out (default
	// 100ms).
	Every time.Duration
}

// Handler returns the server's routes.
func (s *Server) Handler() http.Handler {
	if s.Every <= 0 {
		s.Every = 100 * time.Millisecond
	}
	static, _ := fs.Sub(assets, "assets")
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServerFS(static))
	mux.HandleFunc("GET /api/snapshot", s.snapshot)
	mux.HandleFunc("GET /api/events", s.events)
	mux.HandleFunc("POST /api/control", s.control)
	mux.HandleFunc("GET /api/console", s.console)
	return sameOrigin(mux)
}

// sameOrigin refuses a request that a page of another origin made.
func sameOrigin(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			u, err := url.Parse(o)
			if err != nil || u.Host != r.Host {
				http.Error(w, "cross-origin request refused", http.StatusForbidden)
				return
			}
		}
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			http.Error(w, "cross-site request refused", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) snapshot(w http.ResponseWriter, r *http.Request) {
	snap := s.Model.Snapshot(s.Every)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(snap)
}

// maxControl bounds a control's body.
const maxControl = 256

func (s *Server) control(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxControl+1))
	if err != nil || len(body) > maxControl {
		http.Error(w, "control: too long", http.StatusBadRequest)
		return
	}
	text := strings.TrimSpace(string(body))
	if strings.HasPrefix(text, "{") {
		var c struct {
			Cmd string `json:"cmd"`
		}
		if err := json.Unmarshal(body, &c); err != nil {
			http.Error(w, "control: "+err.Error(), http.StatusBadRequest)
			return
		}
		text = c.Cmd
	}
	if err := s.Model.Control(text); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fmt.Fprintln(w, "ok:", text)
}

// batch is one Server-Sent Event of /api/events.
type batch struct {
	NowNs int64           `json:"now_ns"`
	IPC   []live.IPCEvent `json:"ipc"`
	Log   []live.LogEntry `json:"log"`
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "no streaming", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	var lastSeq uint64
	var lastLog live.LogEntry
	tick := time.NewTicker(s.Every)
	defer tick.Stop()
	for {
		snap := s.Model.Snapshot(s.Every)
		if snap != nil {
			b := batch{NowNs: snap.NowNs}
			for _, e := range snap.IPC {
				if e.Seq > lastSeq {
					b.IPC = append(b.IPC, e)
				}
			}
			if n := len(snap.IPC); n > 0 {
				lastSeq = max(lastSeq, snap.IPC[n-1].Seq)
			}
			b.Log = newEntries(snap.Log, lastLog)
			if n := len(snap.Log); n > 0 {
				lastLog = snap.Log[n-1]
			}
			data, _ := json.Marshal(b)
			if _, err := fmt.Fprintf(w, "data: %s\n\n", data); err != nil {
				return
			}
			fl.Flush()
			if snap.Ended {
				return
			}
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
	}
}

// newEntries returns the entries of log after last (all when last is not
// in it: it scrolled out).
func newEntries(log []live.LogEntry, last live.LogEntry) []live.LogEntry {
	for i := len(log) - 1; i >= 0; i-- {
		if log[i] == last {
			return log[i+1:]
		}
	}
	return log
}

func (s *Server) console(w http.ResponseWriter, r *http.Request) {
	if s.Console == nil {
		http.Error(w, "this system has no console", http.StatusNotFound)
		return
	}
	c, err := websocket.Accept(w, r, nil) // refuses other origins itself
	if err != nil {
		return
	}
	defer c.CloseNow()
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	screen, out := s.Console.Attach()
	defer s.Console.Detach(out)
	go func() {
		defer cancel()
		for {
			_, b, err := c.Read(ctx)
			if err != nil || s.Console.Type(b) != nil {
				return
			}
		}
	}()
	if len(screen) > 0 && c.Write(ctx, websocket.MessageBinary, screen) != nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case b := <-out:
			if c.Write(ctx, websocket.MessageBinary, b) != nil {
				return
			}
		}
	}
}
