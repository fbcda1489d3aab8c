//go:build linux

package boot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/procplace"
)

// processEcho is the default system with echo placed in a host process.
func processEcho(t *testing.T) boot.Config {
	t.Helper()
	cfg := boot.Default()
	cfg.Mode = boot.Hybrid
	cfg.Servers[0].Placement = boot.IsolationProcess
	return cfg
}

func TestProcessEchoAnswers(t *testing.T) {
	sys, err := boot.Boot(processEcho(t), nil)
	require.NoError(t, err)
	defer sys.Close()
	sum, err := sys.Run()
	require.NoError(t, err)
	assert.Equal(t, sum.Workload.Clients, sum.Workload.Finished, "Finished")
	assert.Empty(t, sum.Restarts, "Restarts")
	assert.NotZero(t, sys.HostPID("echo"), "HostPID(echo)")
}

// TestProcessHostFaults breaks a real echo process in each way a host
// process can die and checks that its proxy task dies with a cause that
// names it, that rs starts a fresh process, and that the clients finish.
func TestProcessHostFaults(t *testing.T) {
	for _, c := range []struct {
		fault procplace.HostFault
		cause string
	}{
		{procplace.FaultKill9, "killed by SIGKILL"},
		{procplace.FaultExit, "exited with status 3"},
		{procplace.FaultPanic, "exited with status 2: panic: injected host fault: panic"},
		{procplace.FaultStackOverflow, "exited with status 2: runtime: goroutine stack exceeds 1048576-byte limit"},
		{procplace.FaultOOM, oomCause},
		{procplace.FaultMapWrite, "fatal error: concurrent map writes"},
		{procplace.FaultGoroutinePanic, "panic: injected host fault: panic on a stray goroutine"},
		{procplace.FaultSyscall, "killed by SIGSYS (seccomp: socket)"},
		{procplace.FaultSpin, "hang: no answer in 300ms of host time (killed by SIGKILL)"},
	} {
		t.Run(c.fault.String(), func(t *testing.T) {
			fds := openFDs(t)
			cfg := processEcho(t)
			if c.fault == procplace.FaultSpin {
				cfg.ProcessWatchdog = boot.Duration(300 * time.Millisecond)
			}
			sys, err := boot.Boot(cfg, nil)
			require.NoError(t, err)
			require.NoError(t, sys.InjectHost("echo", c.fault))
			sum, err := sys.Run()
			require.NoError(t, err)
			require.Len(t, sum.Restarts, 1, "Restarts")
			assert.Contains(t, sum.Restarts[0].Cause, c.cause, "Restarts[0].Cause")
			assert.Equal(t, sum.Workload.Clients, sum.Workload.Finished, "Finished")
			assert.NotZero(t, sys.HostPID("echo"), "HostPID(echo) after the restart")
			require.NoError(t, sys.Close())
			assert.Empty(t, children(t), "server processes left after Close")
			assert.Equal(t, fds, openFDs(t), "open descriptors after Close")
		})
	}
}

// children returns the host PIDs of this process's live children.
func children(t *testing.T) []string {
	t.Helper()
	tasks, err := filepath.Glob("/proc/self/task/*/children")
	require.NoError(t, err)
	var out []string
	for _, f := range tasks {
		b, err := os.ReadFile(f)
		if err == nil {
			out = append(out, strings.Fields(string(b))...)
		}
	}
	return out
}

// openFDs counts this process's open descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(ents)
}

func TestProcessConfigErrors(t *testing.T) {
	for _, c := range []struct{ name, yaml, want string }{
		{"bad isolation", "isolation: vm\n", `isolation: "vm" is not task or process`},
		{"bad placement", "servers:\n  - {name: echo, placement: vm}\n", `"vm" is not kernel, user or process`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := boot.Parse([]byte(c.yaml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

// isolation: process places every user-space server in a process, ds
// and pm included, and leaves the kernel's where they are.
func TestIsolationProcessPlacesEveryUserServer(t *testing.T) {
	cfg, err := boot.Parse([]byte("mode: hybrid\nisolation: process\nservers:\n  - {name: echo}\n  - {name: ds}\n  - {name: \"null\", placement: kernel}\n"))
	require.NoError(t, err)
	for i, want := range []bool{true, true, false} {
		assert.Equal(t, want, cfg.InProcess(cfg.Servers[i]), "InProcess(%s)", cfg.Servers[i].Name)
	}
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	defer sys.Close()
	_, err = sys.Run()
	require.NoError(t, err)
	assert.NotZero(t, sys.HostPID("echo"), "HostPID(echo)")
	assert.NotZero(t, sys.HostPID("ds"), "HostPID(ds)")
}

// isolation: process and placement: process put pm in a process without
// a ds: its table stays with mkos, reached through the window.
func TestProcessPlacesPMWithoutDS(t *testing.T) {
	for _, c := range []struct{ name, yaml string }{
		{"isolation process", "mode: micro\nisolation: process\nservers:\n  - {name: echo}\n  - {name: pm}\n"},
		{"placement process", "mode: hybrid\nservers:\n  - {name: echo}\n  - {name: pm, placement: process}\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := boot.Parse([]byte(c.yaml))
			require.NoError(t, err)
			assert.True(t, cfg.InProcess(cfg.Servers[1]), "InProcess(pm) without ds")
		})
	}
}
