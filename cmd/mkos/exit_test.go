package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/bench"
	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/kernel"
)

// Each way a command ends has its exit status, distinct from the others.
func TestExitCode(t *testing.T) {
	stall := &kernel.Stall{Name: "spinner", Trap: "Sleep", HostNs: 5e9}
	for _, c := range []struct {
		name    string
		err     error
		want    int
		wantMsg string
	}{
		{"success", nil, 0, ""},
		{"kernel panic", &kernel.Panic{Server: "echo"}, exitPanic, ""},
		{"watchdog", fmt.Errorf("run: %w", stall), exitStalled, "task spinner"},
		{"time limit", &stopped{exitTimeLimit, "the time limit"}, exitTimeLimit, "the time limit"},
		{"shell status", exitStatus(7), 7, ""},
		{"shell never finished", exitStatus(-1), exitUnfinished, "did not finish"},
		{"other error", errors.New("no such file"), exitError, "no such file"},
	} {
		code, msg := exitCode(c.err)
		assert.Equal(t, c.want, code, "%s: exitCode() status", c.name)
		assert.Contains(t, msg, c.wantMsg, "%s: exitCode() message", c.name)
	}
	seen := map[int]string{}
	for _, s := range exitStatuses {
		if prev, dup := seen[s.code]; dup {
			t.Errorf("exitStatuses: %d means both %q and %q", s.code, prev, s.says)
		}
		seen[s.code] = s.says
	}
}

// Every command that runs the simulator ends with the status that says
// how its run ended.
func TestExitStatusOfRuns(t *testing.T) {
	noNull := filepath.Join(t.TempDir(), "nonull.yaml")
	require.NoError(t, os.WriteFile(noNull, []byte("servers:\n  - {name: echo}\n"), 0o644))
	for _, c := range []struct {
		name    string
		args    []string
		stdin   string
		want    int
		wantMsg string
	}{
		{"demo finishes", []string{"run", "--clients", "1", "--calls", "2"}, "", exitOK, ""},
		{"demo cut by the time limit", []string{"run", "--max-time", "1ns"}, "", exitTimeLimit, "0/3 clients finished"},
		{"demo without null", []string{"run", "--config", noNull}, "", exitNoService, `no null server`},
		{"negative time limit", []string{"run", "--max-time", "-1s"}, "", exitError, "--max-time -1s: must not be negative"},
		{"run -c runaway", []string{"run", "--max-time", "100ms", "-c", "cat /dev/zero > /dev/null"}, "", exitTimeLimit, "the shell did not finish"},
		{"run -c shell status", []string{"run", "--max-time", "10s", "-c", "exit 2"}, "", 2, ""},
		{"shell runaway", []string{"shell", "--max-time", "100ms"}, "cat /dev/zero > /dev/null\n", exitTimeLimit, "the shell did not finish"},
		{"faults cut by the time limit", []string{"faults", "--count", "2", "--per-run", "1", "--max-time", "1ms"}, "", exitTimeLimit, "2 of 2 runs stopped"},
		{"top cut by the time limit", []string{"top", "--frames", "2", "--every", "50ms", "--speed", "max", "--max-time", "1us"}, "", exitTimeLimit, "the system had not ended"},
		{"top stopped by its frames", []string{"top", "--frames", "2", "--every", "10ms", "--max-time", "100s"}, "", exitOK, ""},
		{"sched cut by the time limit", []string{"sched", "-l", "5,10", "-c", "--max-time", "8ms"}, "", exitTimeLimit, "1 of 2 jobs finished by 8.000ms"},
		{"sched within the time limit", []string{"sched", "-l", "5,10", "-c", "--max-time", "15ms"}, "", exitOK, ""},
		{"sched mlfq cut by the time limit", []string{"sched", "mlfq", "-l", "0,20,0", "-c", "--max-time", "5ms"}, "", exitTimeLimit, "0 of 1 jobs"},
		{"vm cut by the time limit", []string{"vm", "--refs", "0,1,2,3", "--max-time", "1us"}, "", exitTimeLimit, "0 of 4 references"},
		{"vm within the time limit", []string{"vm", "--refs", "0,1,2,3", "--max-time", "1s"}, "", exitOK, ""},
		{"faults within the time limit", []string{"faults", "--count", "2", "--per-run", "1", "--max-time", "10s"}, "", exitOK, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := newRoot()
			root.SetArgs(c.args)
			var out strings.Builder
			root.SetOut(&out)
			root.SetErr(&out)
			root.SetIn(strings.NewReader(c.stdin))
			code, msg := exitCode(root.Execute())
			assert.Equal(t, c.want, code, "mkos %s: exit status (%s)", strings.Join(c.args, " "), msg)
			assert.Contains(t, msg, c.wantMsg)
		})
	}
}

// `mkos help` and the README list every exit status.
func TestExitStatusesDocumented(t *testing.T) {
	help, _, err := mkos(t, "help")
	require.NoError(t, err)
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	for _, s := range exitStatuses {
		assert.Contains(t, help, fmt.Sprintf("  %d  %s\n", s.code, s.says), "mkos help: status %d", s.code)
		assert.Contains(t, string(readme), fmt.Sprintf("| %d | ", s.code), "README: status %d", s.code)
	}
}

// demoOutcome maps what the demo's clients saw to a status.
func TestDemoOutcome(t *testing.T) {
	cfg := boot.Default()
	noNull := boot.Default()
	noNull.Servers = noNull.Servers[:1]
	for _, c := range []struct {
		name string
		cfg  boot.Config
		sum  boot.Summary
		want int // exitOK for nil
	}{
		{"all finished", cfg, boot.Summary{Workload: boot.WorkloadSummary{Finished: 3, Clients: 3}}, exitOK},
		{"a client unfinished", cfg, boot.Summary{Workload: boot.WorkloadSummary{Finished: 2, Clients: 3}}, exitUnfinished},
		{"a wrong answer", cfg, boot.Summary{Workload: boot.WorkloadSummary{Finished: 3, Clients: 3, Wrong: 1}}, exitUnfinished},
		{"a failed call", cfg, boot.Summary{Workload: boot.WorkloadSummary{Finished: 3, Clients: 3, Errors: map[string]int{"echo: EIO": 1}}}, exitUnfinished},
		{"time limit", cfg, boot.Summary{TimeLimitHit: true, Workload: boot.WorkloadSummary{Clients: 3}}, exitTimeLimit},
		{"no null server", noNull, boot.Summary{Workload: boot.WorkloadSummary{Clients: 3}}, exitNoService},
	} {
		code, _ := exitCode(demoOutcome(c.cfg, &c.sum))
		assert.Equal(t, c.want, code, "%s: demoOutcome() status", c.name)
	}
}

// bench's time limit (bench.ErrTimeLimit, tested in bench) is status 5.
func TestBenchTimeLimitStatus(t *testing.T) {
	err := benchError(fmt.Errorf("null in micro mode: %w", bench.ErrTimeLimit), time.Microsecond)
	code, msg := exitCode(err)
	assert.Equal(t, exitTimeLimit, code, "exitCode(benchError(ErrTimeLimit)) status")
	assert.Contains(t, msg, "the time limit, 1.000µs of virtual time, was reached: null in micro mode")
	code, _ = exitCode(benchError(errors.New("--disk: no"), time.Second))
	assert.Equal(t, exitError, code, "exitCode(benchError(other)) status")
}

// cp --max-time stops a copy that has not finished and changes nothing:
// neither the image (a copy in) nor the host file (a copy out).
func TestCpMaxTimeChangesNothing(t *testing.T) {
	dir := t.TempDir()
	img, src, dst := filepath.Join(dir, "d.img"), filepath.Join(dir, "big"), filepath.Join(dir, "out")
	_, _, err := mkos(t, "mkfs", img, "--size", "8MiB")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(src, []byte(strings.Repeat("x", 1<<20)), 0o644))
	before, err := os.ReadFile(img)
	require.NoError(t, err)

	_, _, err = mkos(t, "cp", src, img+":/big", "--max-time", "1ms")
	code, msg := exitCode(err)
	assert.Equal(t, exitTimeLimit, code, "cp in --max-time 1ms: exit status (%s)", msg)
	assert.Contains(t, msg, "nothing was changed")
	after, err := os.ReadFile(img)
	require.NoError(t, err)
	assert.True(t, string(before) == string(after), "cp in stopped at the time limit changed the image")
	left, _ := filepath.Glob(filepath.Join(dir, ".mkos-scratch-*"))
	assert.Empty(t, left, "cp in left its scratch copy behind")

	_, _, err = mkos(t, "cp", src, img+":/big", "--max-time", "10s")
	require.NoError(t, err, "cp in within the time limit")
	st, err := os.Stat(img)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm(), "cp in --max-time: the image's mode")
	_, _, err = mkos(t, "cp", img+":/big", dst, "--max-time", "1us")
	code, _ = exitCode(err)
	assert.Equal(t, exitTimeLimit, code, "cp out --max-time 1us: exit status")
	_, err = os.Stat(dst)
	assert.True(t, os.IsNotExist(err), "cp out stopped at the time limit wrote %s", dst)
	_, _, err = mkos(t, "cp", img+":/big", dst)
	require.NoError(t, err)
	got, err := os.ReadFile(dst)
	require.NoError(t, err)
	assert.Equal(t, 1<<20, len(got), "cp out: the bytes copied in within the limit")
}
