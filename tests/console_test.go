package tests

// The console end to end: a system booted with the tty driver on a UART
// whose keyboard is a script, init opening /dev/tty as descriptors 0, 1
// and 2 and running /bin/sh on it — `mkos shell` fed from a pipe — in
// every mode; and the recovery of the tty driver in the middle of a
// session.

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/kernel"
	sysinit "github.com/mkos/mkos/user/init"
)

// session boots a system in mode with the console typing script, runs a
// shell on it through init, and returns the screen, the shell's status,
// the restarts and the run's error.
func session(t *testing.T, mode boot.Mode, script string) (string, int, []boot.Restart, error) {
	t.Helper()
	return tracedSession(t, mode, script, nil)
}

// tracedSession is session with a tracer.
func tracedSession(t *testing.T, mode boot.Mode, script string, tr kernel.Tracer) (string, int, []boot.Restart, error) {
	t.Helper()
	cfg := boot.UserSpace(boot.Default())
	cfg.Mode = mode
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: fsproto.Name})
	cfg.Disk = &boot.DiskConf{Size: 16 << 20, Kind: hw.KindSSD}
	var screen bytes.Buffer
	cfg.Console = &boot.ConsoleConf{Input: script, Out: &screen}
	sys, err := boot.Boot(cfg, tr)
	require.NoError(t, err)
	defer sys.Close()
	require.NoError(t, sys.FormatDisk())
	run, err := sys.StartInit(sysinit.Options{RC: "-"}, nil)
	require.NoError(t, err)
	err = sys.Kernel.Run()
	return screen.String(), run.Status, sys.Restarts, err
}

func TestConsoleSessionInEveryMode(t *testing.T) {
	const script = "echo hello | cat\ncat /dev/null; echo $?\necho gone > /dev/null\nexit 5\n"
	const want = "$ echo hello | cat\nhello\n$ cat /dev/null; echo $?\n0\n$ echo gone > /dev/null\n$ exit 5\n"
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			out, status, _, err := session(t, mode, script)
			require.NoError(t, err)
			assert.Equal(t, want, out, "the tty's echo of each line, then its output")
			assert.Equal(t, 5, status)
			again, _, _, _ := session(t, mode, script)
			assert.Equal(t, out, again, "the same script gives the same run")
		})
	}
}

func TestConsoleRunIsDeterministic(t *testing.T) {
	const script = "echo a | cat; cat /dev/null\nexit\n"
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			var traces [2]bytes.Buffer
			for i := range traces {
				tr := kernel.NewJSONTracer(&traces[i])
				_, _, _, err := tracedSession(t, mode, script, tr)
				require.NoError(t, err)
				require.NoError(t, tr.Flush())
			}
			require.Positive(t, traces[0].Len())
			assert.True(t, bytes.Equal(traces[0].Bytes(), traces[1].Bytes()), "two runs of one script give identical traces")
		})
	}
}

func TestConsoleSurvivesATTYCrash(t *testing.T) {
	const script = "echo before\ncrash tty\necho after\nexit\n"
	for _, mode := range []boot.Mode{boot.Micro, boot.Hybrid} {
		t.Run(string(mode), func(t *testing.T) {
			out, status, restarts, err := session(t, mode, script)
			require.NoError(t, err)
			assert.Contains(t, out, "$ echo after\nafter\n", "the shell reads on through the restarted driver")
			assert.Equal(t, 0, status)
			var names []string
			for _, r := range restarts {
				names = append(names, r.Server)
			}
			assert.Equal(t, []string{"tty"}, names)
		})
	}
	t.Run("mono", func(t *testing.T) {
		out, _, _, err := session(t, boot.Mono, script)
		var p *kernel.Panic
		require.True(t, errors.As(err, &p), "in the kernel the crash is a kernel panic: %v", err)
		assert.Equal(t, "tty", p.Server)
		assert.False(t, strings.Contains(out, "after"), out)
	})
}
