//go:build !js && !wasip1

package tests

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// sameAnswerCases are seeded workloads, each an mkos command line and the
// files it writes (relative to its working directory). Each must print and
// write the same bytes on every host.
var sameAnswerCases = []struct {
	name  string
	args  []string
	files []string
}{
	{"run demo with a crash", []string{"run", "--seed", "7", "--crash-at", "3", "--trace", "trace.jsonl"}, []string{"trace.jsonl"}},
	{"run mono panics", []string{"run", "--mode", "mono", "--seed", "2", "--crash-at", "2", "--trace", "trace.jsonl"}, []string{"trace.jsonl"}},
	{"run -c files and pipes", []string{"run", "--seed", "3", "--trace", "trace.jsonl", "-c",
		"mkdir /d; echo hello > /d/f; cat /d/f | wc -c; ls -l /d; echo again >> /d/f; cat /d/f | wc; " +
			"cat /nope; rm /d; kill -l; crash fs; cat /d/f; ps; exit 3"}, []string{"trace.jsonl"}},
	{"sched RR", []string{"sched", "-p", "RR", "-l", "100,200,300", "-q", "50", "-c"}, nil},
	{"sched SJF random with gantt", []string{"sched", "-p", "SJF", "-s", "7", "-j", "6", "-m", "50", "-c", "--gantt", "sjf.svg"}, []string{"sjf.svg"}},
	{"sched mlfq", []string{"sched", "mlfq", "-s", "1", "-j", "3", "-c"}, nil},
	{"sched lottery json", []string{"sched", "lottery", "-l", "10:1,10:100", "-c", "--json"}, nil},
	{"vm lru", []string{"vm", "--policy", "lru", "--frames", "3", "--refs", "0,1,2,0,1,3,0,3,1,2,1"}, nil},
	{"vm clock ostep", []string{"vm", "-p", "CLOCK", "-s", "3", "-n", "20", "--ostep", "-c"}, nil},
	{"vm translate", []string{"vm", "translate", "--task-pages", "0x400-0x402", "0x400123", "0x403000"}, nil},
}

// answer is what one run of mkos gave: its exit code, its output and
// error output, and the files it wrote.
type answer struct {
	code           int
	stdout, stderr []byte
	files          map[string][]byte
}

// TestSameAnswersEverywhere runs each seeded workload with mkos built for
// this host and with mkos built for js/wasm under Node (a host with no
// x/sys/unix, no bbolt, no threads, and its own page size and file
// system), and requires byte-identical outputs, exit codes, traces and
// files: the simulated system's numbers are Linux's on every host.
// It needs Node (make node installs it).
func TestSameAnswersEverywhere(t *testing.T) {
	node, err := exec.LookPath("node")
	require.NoError(t, err, "the js/wasm half of this test runs under Node: install it (make node)")
	root, _ := moduleRoot(t)
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	require.NoError(t, err, "go env GOROOT")
	execJS := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec_node.js")
	bin := t.TempDir()
	native, wasm := filepath.Join(bin, "mkos"), filepath.Join(bin, "mkos.wasm")
	buildMkos(t, root, native)
	buildMkos(t, root, wasm, "GOOS=js", "GOARCH=wasm")
	for _, c := range sameAnswerCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			want := runMkos(t, c.files, native, c.args...)
			got := runMkos(t, c.files, node, append([]string{"--stack-size=8192", execJS, wasm}, c.args...)...)
			if got.code != want.code {
				t.Errorf("exit code under js/wasm = %d, want %d (native)", got.code, want.code)
			}
			sameBytes(t, "standard output", got.stdout, want.stdout)
			sameBytes(t, "standard error", got.stderr, want.stderr)
			for _, f := range c.files {
				require.NotEmpty(t, want.files[f], "the native run wrote no %s", f)
				sameBytes(t, f, got.files[f], want.files[f])
			}
		})
	}
}

// buildMkos builds cmd/mkos to out, with env added to the environment.
func buildMkos(t *testing.T, root, out string, env ...string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", out, "./cmd/mkos")
	cmd.Dir, cmd.Env = root, append(os.Environ(), env...)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build %v: %s", env, b)
}

// runMkos runs prog with args in a fresh directory and returns its answer,
// with the files it was to write.
func runMkos(t *testing.T, files []string, prog string, args ...string) answer {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := exec.Command(prog, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = t.TempDir(), &out, &errOut
	a := answer{files: map[string][]byte{}}
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		require.True(t, errors.As(err, &exit), "%s: %v", prog, err)
		a.code = exit.ExitCode()
	}
	a.stdout, a.stderr = out.Bytes(), errOut.Bytes()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(cmd.Dir, f))
		require.NoError(t, err, "%s %v wrote no %s (stderr: %s)", prog, args, f, a.stderr)
		a.files[f] = b
	}
	return a
}

// sameBytes fails when got differs from want, showing the first line that
// differs.
func sameBytes(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		g, w := line(gl, i), line(wl, i)
		if g != w {
			t.Errorf("%s under js/wasm differs at line %d:\n got  %s\n want %s (native)", what, i+1, g, w)
			return
		}
	}
}

// line returns line i of ls, or a marker past its end.
func line(ls []string, i int) string {
	if i < len(ls) {
		return fmt.Sprintf("%q", ls[i])
	}
	return "(end)"
}
