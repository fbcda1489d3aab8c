//go:build linux

package faults

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
)

// TestProcessIsolationSurvivesCrashHangSlow: with fs, disk and mm as host
// processes (ds and pm stay tasks), every crash, hang and slow reply is
// survived with every invariant holding, as with tasks; a crash kills
// the proxy task, which kills its process.
func TestProcessIsolationSurvivesCrashHangSlow(t *testing.T) {
	c := Campaign{Mode: boot.Micro, Isolation: boot.IsolationProcess, Count: 60, PerRun: 20, Seed: 1, Kinds: survivable}
	rep, err := Run(c)
	require.NoError(t, err)
	var out bytes.Buffer
	rep.Write(&out, 5)
	require.True(t, rep.OK(), out.String())
	assert.Equal(t, 60, rep.Total, "every fault armed strikes")
	assert.Zero(t, rep.Halts)
	assert.Zero(t, rep.BytesLost)
	assert.Contains(t, c.Replay(0), "--isolation process", "Replay(0)")
}
