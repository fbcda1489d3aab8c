package tests

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/internal/traceevent"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/kernel/tracefmt"
)

// A whole run's Perfetto export, in every mode, on two CPUs, with a server
// crash, is valid Trace Event Format: flows bind, slices nest.
func TestPerfettoExportOfWholeRuns(t *testing.T) {
	for _, mode := range []boot.Mode{boot.Micro, boot.Mono, boot.Hybrid} {
		cfg := boot.Default()
		cfg.Mode, cfg.CPUs = mode, 2
		cfg.Workload.CrashAt = 4
		var rec kernel.Recorder
		sys, err := boot.Boot(cfg, &rec)
		require.NoError(t, err)
		_, _ = sys.Run() // mono: a kernel panic, part of the trace
		var buf bytes.Buffer
		require.NoError(t, tracefmt.WritePerfetto(&buf, rec.Events))
		assert.Greater(t, buf.Len(), 1_000, "%s: the run's events", mode)
		assert.Empty(t, traceevent.Check(buf.Bytes()), "%s: traceevent.Check()", mode)
	}
}
