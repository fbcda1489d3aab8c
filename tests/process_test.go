//go:build linux

package tests

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/internal/textdiff"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/kernel"
	sysinit "github.com/mkos/mkos/user/init"
)

// TestProcessDeterminism: with echo in a host process, one seed still
// reproduces the run byte for byte, and under the ideal profile (where a
// crossing costs nothing) the trace is the one echo gives as a task — the
// proxy makes exactly the system calls the server would — but for the
// death's cause, which a process tells with its exit status.
func TestProcessDeterminism(t *testing.T) {
	cfg := boot.Default()
	cfg.Mode = boot.Hybrid
	cfg.Workload.CrashAt = 3
	for _, profile := range []string{"l4", "ideal"} {
		t.Run(profile, func(t *testing.T) {
			cfg.Profile = profile
			task := traceOf(t, cfg)
			cfg.Isolation = boot.IsolationProcess
			defer func() { cfg.Isolation = "" }()
			first := traceOf(t, cfg)
			second := traceOf(t, cfg)
			assert.True(t, bytes.Equal(first, second), "two runs with echo in a process: traces differ (%d and %d bytes)", len(first), len(second))
			if profile == "ideal" {
				same := bytes.ReplaceAll(first, []byte(`"exited with status 2: panic: `), []byte(`"panic: `))
				require.False(t, bytes.Equal(same, first), "the process trace has no process death in it")
				require.True(t, bytes.Equal(task, same), "task and process traces differ:\n%s", textdiff.FirstLine(string(same), string(task)))
			} else {
				assert.False(t, bytes.Equal(task, first), "a crossing costs time under %s: the traces must differ", profile)
			}
		})
	}
}

// TestProcessDeterminismUserSpace runs a shell script on user space with
// every server a host process — pm (spawning by recipe), ds (its store
// through the window), fs, disk, mm, pipe, memdev — and checks that one
// seed reproduces the trace byte for byte, and that under the ideal
// profile it is the very trace of the same system with every server a
// task: the proxies make exactly the system calls the servers would.
func TestProcessDeterminismUserSpace(t *testing.T) {
	const script = "echo hi > /f; cat /f | wc -c; ls / > /dev/null; sleep 1 & wait; ps -m > /dev/null"
	for _, profile := range []string{"l4", "ideal"} {
		t.Run(profile, func(t *testing.T) {
			cfg := boot.Default()
			cfg.Profile = profile
			cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: "ds"})
			task, taskOut := shellTrace(t, cfg, script)
			cfg.Isolation = boot.IsolationProcess
			first, out := shellTrace(t, cfg, script)
			second, _ := shellTrace(t, cfg, script)
			assert.Equal(t, "3\nstatus 0\n", out, "the script's output with every server in a process")
			assert.Equal(t, taskOut, out, "output as tasks and as processes")
			assert.True(t, bytes.Equal(first, second), "two runs with every server in a process: traces differ (%d and %d bytes)", len(first), len(second))
			if profile == "ideal" {
				require.True(t, bytes.Equal(task, first), "task and process traces differ:\n%s", textdiff.FirstLine(string(first), string(task)))
			} else {
				assert.False(t, bytes.Equal(task, first), "a crossing costs time under %s: the traces must differ", profile)
			}
		})
	}
}

// shellTrace boots cfg as user space (bootUser's servers), runs script
// with sh -c and returns the trace and what the script printed.
func shellTrace(t *testing.T, cfg boot.Config, script string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	tr := kernel.NewJSONTracer(&buf)
	cfg = boot.UserSpace(cfg)
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: fsproto.Name})
	cfg.Disk = &boot.DiskConf{Size: 16 << 20, Kind: hw.KindSSD}
	sys, err := boot.Boot(cfg, tr)
	require.NoError(t, err)
	defer sys.Close()
	require.NoError(t, sys.FormatDisk())
	var log consoleLog
	con := &boot.Console{In: strings.NewReader(""), Out: log.writer(""), Err: log.writer("! ")}
	run, err := sys.StartInit(sysinit.Options{Argv: []string{"sh", "-c", script}}, con)
	require.NoError(t, err)
	require.NoError(t, sys.Kernel.Run())
	fmt.Fprintf(log.writer(""), "status %d\n", run.Status)
	for _, sc := range sys.Config.Servers {
		if cfg.Isolation == boot.IsolationProcess && !sys.Config.InKernel(sc) {
			require.NotZero(t, sys.HostPID(sc.Name), "HostPID(%s)", sc.Name)
		}
	}
	require.NoError(t, tr.Flush())
	return buf.Bytes(), log.String()
}

// TestPsMarksServerProcesses: ps -e shows each server in a host process
// as process:PID (its host PID), and rs, a task, as user.
func TestPsMarksServerProcesses(t *testing.T) {
	cfg := boot.Default()
	cfg.Isolation = boot.IsolationProcess
	_, out := shellTrace(t, cfg, "ps -e")
	for _, name := range []string{"pm", "fs", "disk", "mm"} {
		assert.Regexp(t, `(?m)^`+name+` +up +process:[1-9][0-9]* +[0-9]+\.[0-9]+$`, out, "ps -e's line for %s", name)
	}
	assert.Regexp(t, `(?m)^rs +up +user +`, out, "ps -e's line for rs")
}
