package main

// Tests of the CLI through newRoot, as a user types it. `bench` is only
// tested for its argument checks: measuring takes seconds, and bench/ has
// its own tests.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/kernel"
)

func TestMain(m *testing.M) {
	boot.ChildMain() // the server processes of --isolation process
	goleak.VerifyTestMain(m)
}

// mkos runs the CLI with args and returns its stdout, stderr and error.
func mkos(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errOut)
	err := root.Execute()
	return out.String(), errOut.String(), err
}

func TestRunPrintsSummary(t *testing.T) {
	out, errOut, err := mkos(t, "run")
	require.NoError(t, err)
	assert.Empty(t, errOut)
	assert.True(t, strings.HasPrefix(out, "mkos micro mode, policy rr, profile l4, 1 cpu(s), seed 1\n"), out)
	assert.Contains(t, out, "virtual time ")
	assert.Contains(t, out, "workload: 3/3 clients finished, 120 calls answered correctly, 0 wrong")
	for _, svc := range []string{"echo", "null"} {
		assert.Regexp(t, `(?m)^\s+`+svc+`\s+user\s+1\s+60\s+0\s+0\s`, out, "the %s line", svc)
	}
}

func TestRunFlagsOverride(t *testing.T) {
	out, _, err := mkos(t, "run", "--mode", "hybrid", "--seed", "7", "--cpus", "2", "--policy", "fifo",
		"--profile", "mach", "--clients", "2", "--calls", "3")
	require.NoError(t, err)
	assert.Contains(t, out, "mkos hybrid mode, policy fifo, profile mach, 2 cpu(s), seed 7\n")
	assert.Contains(t, out, "workload: 2/2 clients finished, 12 calls answered correctly")
}

func TestRunConfigFileThenFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "boot.yaml")
	require.NoError(t, os.WriteFile(path, []byte("mode: mono\nseed: 3\nworkload:\n  clients: 1\n  calls: 2\n"), 0o644))
	out, _, err := mkos(t, "run", "--config", path, "--seed", "5")
	require.NoError(t, err)
	assert.Contains(t, out, "mkos mono mode, policy rr, profile l4, 1 cpu(s), seed 5\n", "the file sets the mode, the flag the seed")
	assert.Contains(t, out, "workload: 1/1 clients finished, 4 calls answered correctly")
}

func TestRunErrorsNameTheFlagOrKey(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("mode: micro\nscheduler: rr\n"), 0o644))
	for _, c := range []struct {
		name string
		args []string
		want []string // every one must appear in the error
	}{
		{"bad mode", []string{"--mode", "bogus"}, []string{"mode", `"bogus"`, "micro, mono, hybrid"}},
		{"zero cpus", []string{"--cpus", "0"}, []string{"cpus", "0", "1..256"}},
		{"bad policy", []string{"--policy", "nope"}, []string{"policy", `"nope"`, "rr"}},
		{"bad profile", []string{"--profile", "vax"}, []string{"profile", `"vax"`, "l4"}},
		{"zero quantum", []string{"--quantum", "0"}, []string{"quantum"}},
		{"negative clients", []string{"--clients", "-2"}, []string{"clients"}},
		{"missing config", []string{"--config", "/nonexistent/boot.yaml"}, []string{"/nonexistent/boot.yaml", "no such file"}},
		{"bad config key", []string{"--config", bad}, []string{bad, "scheduler"}},
		{"unknown flag", []string{"--bogus"}, []string{"--bogus"}},
		{"bad flag value", []string{"--cpus", "many"}, []string{"--cpus", "many"}},
		{"stray argument", []string{"micro"}, []string{"micro"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, _, err := mkos(t, append([]string{"run"}, c.args...)...)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.False(t, errors.As(err, new(*kernel.Panic)), "a usage error is not a kernel panic")
			assert.NotContains(t, out, "virtual time", "nothing ran")
		})
	}
}

func TestRunWithDisk(t *testing.T) {
	img := filepath.Join(t.TempDir(), "disk.img")
	out, _, err := mkos(t, "run", "--disk", img, "--disk-kind", "ssd", "--iosched", "sstf", "--clients", "1", "--calls", "1")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^\s+disk\s+user\s+1\s`, out, "the disk driver's line")
	assert.Contains(t, out, "disk disk0: ssd, 16384 blocks of 4096 bytes, image "+img+", sstf scheduling: ")
	assert.NotContains(t, out, "0 writes", "the demo touches the disk")
	assert.Contains(t, out, "1 record written to the clients' log files")
	fi, err := os.Stat(img)
	require.NoError(t, err, "the image was created")
	assert.Equal(t, int64(64<<20), fi.Size())

	out, _, err = mkos(t, "run", "--disk", img, "--mode", "mono", "--json", "--clients", "0")
	require.NoError(t, err)
	var sum boot.Summary
	require.NoError(t, json.Unmarshal([]byte(out), &sum))
	require.NotNil(t, sum.Disk)
	assert.Equal(t, "hdd", sum.Disk.Kind, "the default kind")
	assert.Equal(t, "clook", sum.Disk.IOSched, "the default scheduler")
}

func TestRunDiskFlagErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"iosched without a disk", []string{"--iosched", "sstf"}, "need a disk"},
		{"disk-kind without a disk", []string{"--disk-kind", "ssd"}, "need a disk"},
		{"bad kind", []string{"--disk", "", "--disk-kind", "floppy"}, `disk.kind: "floppy"`},
		{"bad scheduler", []string{"--disk", "", "--iosched", "random"}, `disk.iosched: "random"`},
		{"negative watchdog", []string{"--watchdog", "-1s"}, "--watchdog -1s: must not be negative"},
	} {
		_, _, err := mkos(t, append([]string{"run"}, c.args...)...)
		assert.ErrorContains(t, err, c.want, c.name)
	}
}

func TestRunMonoCrashIsKernelPanic(t *testing.T) {
	out, errOut, err := mkos(t, "run", "--mode", "mono", "--crash-at", "2")
	require.Error(t, err)
	var p *kernel.Panic
	require.ErrorAs(t, err, &p, "main exits with status 3 only for a *kernel.Panic")
	assert.Equal(t, "echo", p.Server)
	assert.Positive(t, p.TimeNs)
	assert.Contains(t, out, "kernel panic at ", "the summary shows the panic")
	assert.Contains(t, out, "workload: 0/3 clients finished")
	assert.Contains(t, errOut, "the system halted: kernel panic")
}

func TestRunMicroCrashSurvives(t *testing.T) {
	out, _, err := mkos(t, "run", "--mode", "micro", "--crash-at", "2")
	require.NoError(t, err)
	assert.Regexp(t, `restart at [0-9.]+µs: echo 1\.1 → 1\.2 \(panic: echo: crash requested by`, out)
	assert.Contains(t, out, "workload: 3/3 clients finished, 120 calls answered correctly, 0 wrong")
}

func TestRunJSON(t *testing.T) {
	out, _, err := mkos(t, "run", "--json", "--crash-at", "2")
	require.NoError(t, err)
	var fields map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(out), &fields), out)
	for _, k := range []string{"mode", "policy", "profile", "cpus", "seed", "virtual_ns", "kernel", "services", "restarts", "workload"} {
		assert.Contains(t, fields, k)
	}
	assert.NotContains(t, fields, "panic", "no panic, no panic field")

	var sum boot.Summary
	require.NoError(t, json.Unmarshal([]byte(out), &sum))
	assert.Equal(t, boot.Micro, sum.Mode)
	assert.Positive(t, sum.VirtualNs)
	assert.Positive(t, sum.Kernel.Messages)
	require.Len(t, sum.Services, 3, "echo, null and rs, the reincarnation server")
	assert.Equal(t, "echo", sum.Services[0].Name)
	assert.Equal(t, "rs", sum.Services[2].Name)
	assert.Equal(t, int64(1), sum.Services[0].Restarts)
	require.Len(t, sum.Restarts, 1)
	assert.Equal(t, "echo", sum.Restarts[0].Server)
	assert.Equal(t, 3, sum.Workload.Finished)
	assert.Equal(t, 3, sum.Workload.Clients)
}

func TestRunJSONMonoPanic(t *testing.T) {
	out, _, err := mkos(t, "run", "--json", "--mode", "mono", "--crash-at", "2")
	require.ErrorAs(t, err, new(*kernel.Panic))
	var sum boot.Summary
	require.NoError(t, json.Unmarshal([]byte(out), &sum), "stdout stays JSON when the system halts")
	assert.Contains(t, sum.Panic, `in-kernel server "echo" panicked`)
}

func TestRunTraceWritesJSONLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.jsonl")
	_, _, err := mkos(t, "run", "--crash-at", "2", "--trace", path)
	require.NoError(t, err)
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	kinds := map[string]int{}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		var ev struct {
			T    *int64 `json:"t"`
			CPU  *int   `json:"cpu"`
			Kind string `json:"ev"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &ev), "line %d: %s", n, sc.Text())
		require.NotNil(t, ev.T, "line %d has no time", n)
		require.NotNil(t, ev.CPU, "line %d has no cpu", n)
		require.NotEmpty(t, ev.Kind, "line %d has no kind", n)
		kinds[ev.Kind]++
	}
	require.NoError(t, sc.Err())
	assert.Greater(t, n, 100)
	for _, k := range []string{"spawn", "call", "receive", "reply", "switch", "fault", "death", "restart"} {
		assert.Positive(t, kinds[k], "no %s event in the trace", k)
	}
}

func TestRunTraceUnwritable(t *testing.T) {
	_, _, err := mkos(t, "run", "--trace", filepath.Join(t.TempDir(), "no", "such", "dir", "t.jsonl"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "t.jsonl")
}

func TestVersion(t *testing.T) {
	out, _, err := mkos(t, "version")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(out, "mkos "), out)
}

func TestBenchRejectsBadModes(t *testing.T) {
	for _, c := range []struct{ modes, bad string }{
		{"micro,bogus", "bogus"},
		{"", ""},
		{"micro,,mono", ""},
	} {
		_, _, err := mkos(t, "bench", "--modes", c.modes)
		require.Error(t, err, "--modes %q", c.modes)
		assert.Contains(t, err.Error(), "--modes")
		assert.Contains(t, err.Error(), `"`+c.bad+`"`)
	}
}

func TestBenchRejectsBadWorkload(t *testing.T) {
	_, _, err := mkos(t, "bench", "--workload", "fsbench", "--modes", "micro")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"fsbench"`)
}

func TestUnknownCommand(t *testing.T) {
	_, _, err := mkos(t, "teleport")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"teleport"`)
}

func TestTraceRendersARunTrace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.jsonl")
	_, _, err := mkos(t, "run", "--crash-at", "3", "--trace", path)
	require.NoError(t, err)

	out, _, err := mkos(t, "trace", path, "--kinds", "death,restart")
	require.NoError(t, err)
	assert.Contains(t, out, "death: panic: echo: crash requested")
	assert.Contains(t, out, "restart svc:echo")

	out, _, err = mkos(t, "trace", path, "--format", "perfetto")
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.NotEmpty(t, doc["traceEvents"])

	_, _, err = mkos(t, "trace", path, "--format", "svg")
	assert.ErrorContains(t, err, "--format")
	_, _, err = mkos(t, "trace", path, "--kinds", "teleport")
	assert.ErrorContains(t, err, "teleport")
	_, _, err = mkos(t, "trace", filepath.Join(t.TempDir(), "missing.jsonl"))
	assert.Error(t, err)
}
