//go:build linux

package tests

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/internal/textdiff"
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
