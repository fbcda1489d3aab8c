//go:build e2e

package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// playgroundSite builds what make playground builds into a temporary
// folder: mkos for js/wasm, Go's wasm_exec.js, the page with its loader.
func playgroundSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "mkos.wasm"), ".")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	require.NoError(t, err)
	copyFile := func(from, to string) {
		b, err := os.ReadFile(from)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, to), b, 0o644))
	}
	copyFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"), "wasm_exec.js")
	assets := filepath.Join("..", "..", "live", "web")
	copyFile(filepath.Join(assets, "assets", "app.js"), "app.js")
	copyFile(filepath.Join(assets, "assets", "app.css"), "app.css")
	copyFile(filepath.Join(assets, "playground", "playground.js"), "playground.js")
	page, err := os.ReadFile(filepath.Join(assets, "assets", "index.html"))
	require.NoError(t, err)
	html := strings.Replace(string(page), `<script src="app.js"></script>`,
		`<script src="wasm_exec.js"></script><script src="playground.js"></script>`, 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte(html), 0o644))
	info, err := os.Stat(filepath.Join(dir, "mkos.wasm"))
	require.NoError(t, err)
	t.Logf("mkos.wasm: %d bytes", info.Size())
	return dir
}

// TestBrowserPlayground builds the playground once and opens it in
// headless Chromium: the page with its live views and buttons, the labs'
// commands at its console, and a null call's cost in the browser.
func TestBrowserPlayground(t *testing.T) {
	dir := playgroundSite(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	t.Run("page", func(t *testing.T) { playgroundPage(t, srv.URL) })
	t.Run("null call", func(t *testing.T) { playgroundNullCall(t, dir, srv.URL) })
}

// playgroundPage: the console runs the shell and the labs' mkos sched,
// and the crash button restarts fs.
func playgroundPage(t *testing.T, url string) {
	ctx := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	textOf(ctx, t, `#services`, "fs")
	textOf(ctx, t, `#console`, "$")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#console`)),
		chromedp.SendKeys(chromedp.CSS(`#console`), "ls /\r")))
	textOf(ctx, t, `#console`, "home")
	// The labs' commands: mkos sched runs its jobs on a kernel of its own,
	// inside the system in the tab, and prints OSTEP's answers.
	require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#console`), "mkos sched -l 5,10 -c\r")))
	screen := textOf(ctx, t, `#console`, "Average -- Response: 2.50  Turnaround 10.00  Wait 2.50")
	require.Contains(t, screen, "Job   1 -- Response: 5.00  Turnaround 15.00  Wait 5.00")
	require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#console`), "mkos vm --policy lru --frames 2 --refs 0,1,0,2,0\r")))
	textOf(ctx, t, `#console`, "hits 2, misses 3")
	// Every service is up, so no row moves under the pointer as it clicks.
	textOf(ctx, t, `#services tr[data-key="tty"]`, "up")
	textOf(ctx, t, `#services tr[data-key="fs"]`, "up")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[data-cmd="crash fs"]`))))
	textOf(ctx, t, `#log`, "restart fs")
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	save(t, "playground.png", png)
}

// playgroundNullCall runs mkos bench --workload null in the browser and
// logs its table, to set the browser's null call beside the native one.
func playgroundNullCall(t *testing.T, dir, url string) {
	page := `<pre id="out"></pre><script src="wasm_exec.js"></script><script>
const out = document.getElementById("out"), log = console.log;
console.log = (...a) => { out.textContent += a.join(" ") + "\n"; log(...a); };
const go = new Go();
go.argv = ["mkos", "bench", "--workload", "null", "--modes", "micro,mono", "--benchtime", "300ms"];
WebAssembly.instantiateStreaming(fetch("mkos.wasm"), go.importObject)
  .then((r) => go.run(r.instance)).then(() => { out.textContent += "DONE\n"; });
</script>`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bench.html"), []byte(page), 0o644))
	ctx := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url+"/bench.html")))
	table := textOf(ctx, t, `#out`, "DONE")
	require.Contains(t, table, "null")
	t.Logf("in the browser:\n%s", table)
}
