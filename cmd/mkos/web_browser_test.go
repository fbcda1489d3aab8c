//go:build e2e

package main

// The web page in a real browser: headless Chromium from the distribution
// (make test and make e2e install it), driven with chromedp. Screenshots
// go to the test's artifact directory (go test -artifacts keeps them: make
// e2e, under bin/e2e) and, with MKOS_SCREENSHOTS=DIR, to DIR too (make
// screenshots: docs/img, for the README).

import (
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// browser starts headless Chromium and returns its context.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("chromium"), chromedp.NoSandbox, chromedp.WindowSize(1400, 1000))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelT(); cancelB(); cancelA() })
	return ctx
}

// save writes a screenshot to the test's artifacts and MKOS_SCREENSHOTS.
func save(t *testing.T, name string, png []byte) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(t.ArtifactDir(), name), png, 0o644))
	if dir := os.Getenv("MKOS_SCREENSHOTS"); dir != "" {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), png, 0o644))
	}
}

// textOf waits until the element's text contains want and returns it.
func textOf(ctx context.Context, t *testing.T, sel, want string) string {
	t.Helper()
	text, ok := waitText(ctx, t, sel, want, 30*time.Second)
	if !ok {
		t.Fatalf("%s never showed %q; it shows:\n%s", sel, want, text)
	}
	return text
}

// eventually reports whether the element's text comes to contain want
// within d.
func eventually(ctx context.Context, t *testing.T, sel, want string, d time.Duration) bool {
	t.Helper()
	_, ok := waitText(ctx, t, sel, want, d)
	return ok
}

// waitText polls the element's text until it contains want or d passes,
// and returns the last text read.
func waitText(ctx context.Context, t *testing.T, sel, want string, d time.Duration) (string, bool) {
	t.Helper()
	var text string
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var err error
		text, err = chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf("(document.querySelector(%q) || {}).textContent || \"\"", sel)))
		require.NoError(t, err)
		if strings.Contains(text, want) {
			return text, true
		}
	}
	return text, false
}

func TestBrowserWeb(t *testing.T) {
	srv, _ := webSystem(t)
	ctx := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.CSS(`#console`))))
	textOf(ctx, t, `#services`, "fs")
	textOf(ctx, t, `#console`, "$")

	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#console`)),
		chromedp.SendKeys(chromedp.CSS(`#console`), "ls /\r")))
	screen := textOf(ctx, t, `#console`, "home")
	require.Contains(t, screen, "ls /")

	before := textOf(ctx, t, `#diagram`, "fs ")
	// Every service is up, so no row moves under the pointer as it clicks.
	textOf(ctx, t, `#services tr[data-key="tty"]`, "up")
	textOf(ctx, t, `#services tr[data-key="fs"]`, "up")
	// The services table is redrawn as the system runs; on a loaded machine
	// a click can land while its row is being replaced, as a person's can.
	// Like a person, click again if nothing happened.
	crashed := false
	for try := 0; try < 5 && !crashed; try++ {
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[data-cmd="crash fs"]`))))
		crashed = eventually(ctx, t, `#log`, "restart fs", 6*time.Second)
	}
	require.True(t, crashed, "five clicks on crash fs and no restart in the log")
	after := textOf(ctx, t, `#diagram`, "fs ")
	require.NotEqual(t, fsNode(before), fsNode(after), "the diagram shows fs's new task")
	time.Sleep(300 * time.Millisecond) // a few frames of the lanes
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	save(t, "web.png", png)
}

// fsNode picks the fs task's label ("fs 9.1") out of the diagram's text.
func fsNode(text string) string {
	i := strings.Index(text, "fs ")
	for i > 0 && text[i-1] != '.' && text[i-1] != ' ' && (text[i-1] < '0' || text[i-1] > '9') {
		i = strings.Index(text[i+1:], "fs ") + i + 1
	}
	end := i + 3
	for end < len(text) && (text[end] == '.' || text[end] >= '0' && text[end] <= '9') {
		end++
	}
	return text[i:end]
}

// TestBrowserTopScreenshot renders a frame of mkos top in the browser, as
// a terminal would show it, for the README.
func TestBrowserTopScreenshot(t *testing.T) {
	out, _, err := mkos(t, "top", "--frames", "3", "--every", "50ms", "--speed", "0.02", "--cpus", "2", "--clients", "4")
	require.NoError(t, err)
	frames := strings.Split(out, "── frame ")
	frame := frames[len(frames)-1]
	frame = frame[strings.Index(frame, "\n")+1:]
	terminalShot(t, "top.png", frame)
}

// terminalShot saves a picture of a terminal's text (a frame of top, a
// tmux screen), drawn by the browser in a dark terminal's colours.
func terminalShot(t *testing.T, name, text string) {
	t.Helper()
	page := fmt.Sprintf(`<body style="margin:0;background:#0d1117"><pre style="color:#e6edf3;font:14px/1.3 monospace;padding:12px;margin:0;display:inline-block">%s</pre></body>`, html.EscapeString(text))
	path := filepath.Join(t.TempDir(), "terminal.html")
	require.NoError(t, os.WriteFile(path, []byte(page), 0o644))
	ctx := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("file://"+path)))
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(`pre`)))
	require.NoError(t, err)
	save(t, name, png)
}
