package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/live"
)

func TestHandler(t *testing.T) {
	h := (&Server{Model: live.New(live.Options{})}).Handler()
	tests := []struct {
		name, method, path, body string
		header                   map[string]string
		want                     int
		wantBody                 string
	}{
		{"the page", "GET", "/", "", nil, 200, "<title>mkos web</title>"},
		{"its script", "GET", "/app.js", "", nil, 200, "EventSource"},
		{"the page's topics table", "GET", "/", "", nil, 200, `<table id="topics">`},
		{"its script draws the snapshot's topics", "GET", "/app.js", "", nil, 200, "s.topics"},
		{"no snapshot before the first safe point", "GET", "/api/snapshot", "", nil, 200, "null"},
		{"a control", "POST", "/api/control", "pause", nil, 200, "ok: pause"},
		{"a control as JSON", "POST", "/api/control", `{"cmd":"speed 0.5"}`, nil, 200, "ok: speed 0.5"},
		{"a bad speed", "POST", "/api/control", "speed -1", nil, 400, "speed"},
		{"a control by GET is no page", "GET", "/api/control", "", nil, 404, ""},
		{"another origin", "POST", "/api/control", "pause", map[string]string{"Origin": "http://evil.example"}, 403, "cross-origin"},
		{"a cross-site fetch", "POST", "/api/control", "pause", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "cross-site"},
		{"no console", "GET", "/api/console", "", nil, 404, "no console"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "http://127.0.0.1:8080"+tc.path, strings.NewReader(tc.body))
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			assert.Equal(t, tc.want, w.Code, "status of %s %s", tc.method, tc.path)
			b, _ := io.ReadAll(w.Body)
			assert.Contains(t, string(b), tc.wantBody)
		})
	}
}

func TestSameOriginAllowsItsOwnPage(t *testing.T) {
	h := (&Server{Model: live.New(live.Options{})}).Handler()
	req := httptest.NewRequest("POST", "http://127.0.0.1:8080/api/control", strings.NewReader("resume"))
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
}

func TestNewEntries(t *testing.T) {
	a, b, c := live.LogEntry{T: 1, Kind: "death"}, live.LogEntry{T: 2, Kind: "restart"}, live.LogEntry{T: 3, Kind: "fault"}
	tests := []struct {
		name string
		log  []live.LogEntry
		last live.LogEntry
		want []live.LogEntry
	}{
		{"after the last sent", []live.LogEntry{a, b, c}, a, []live.LogEntry{b, c}},
		{"nothing new", []live.LogEntry{a, b}, b, []live.LogEntry{}},
		{"the last sent scrolled out", []live.LogEntry{b, c}, a, []live.LogEntry{b, c}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, newEntries(tc.log, tc.last), "newEntries")
		})
	}
}
