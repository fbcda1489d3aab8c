package tests

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/kernel"
)

// TestDeterminism: one seed reproduces a whole run byte for byte — the
// demo with a crash, in every mode, on one and two CPUs, under several
// policies — and another seed gives another run (the demo's computation
// lengths come from Sys.Rand).
func TestDeterminism(t *testing.T) {
	for _, mode := range boot.Modes {
		for _, cpus := range []int{1, 2} {
			for _, policy := range []string{"rr", "fifo", "prio"} {
				t.Run(fmt.Sprintf("%s/cpus=%d/%s", mode, cpus, policy), func(t *testing.T) {
					t.Parallel()
					cfg := boot.Default()
					cfg.Mode, cfg.CPUs, cfg.Policy = mode, cpus, policy
					cfg.Workload.CrashAt = 3
					first := traceOf(t, cfg)
					require.NotEmpty(t, first)
					second := traceOf(t, cfg)
					assert.True(t, bytes.Equal(first, second), "two runs with seed %d: traces differ (%d and %d bytes)",
						cfg.Seed, len(first), len(second))
					cfg.Seed++
					other := traceOf(t, cfg)
					assert.False(t, bytes.Equal(first, other), "seeds %d and %d gave the same trace", cfg.Seed-1, cfg.Seed)
				})
			}
		}
	}
}

// traceOf boots and runs cfg and returns its JSON trace. A kernel panic is
// part of the run (mono halts at the crash); any other error fails.
func traceOf(t *testing.T, cfg boot.Config) []byte {
	t.Helper()
	var buf bytes.Buffer
	tr := kernel.NewJSONTracer(&buf)
	sys, err := boot.Boot(cfg, tr)
	require.NoError(t, err)
	_, err = sys.Run()
	if err != nil {
		require.ErrorAs(t, err, new(*kernel.Panic))
	}
	require.NoError(t, tr.Flush())
	return buf.Bytes()
}
