//go:build linux

package faults

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/procplace"
)

// TestProcessIsolationSurvivesCrashHangSlow: with fs, disk, mm, ds and pm
// as host processes, every crash, hang and slow reply is
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

// TestProcessHostFaultsCampaign: every host fault (a real SIGKILL, exit,
// panic, stack overflow, out of memory, concurrent map write, stray
// goroutine panic, forbidden system call, endless loop) in the processes
// of fs, disk, mm, ds and pm (whose store and table stay with mkos) is
// survived with every invariant holding.
func TestProcessHostFaultsCampaign(t *testing.T) {
	c := Campaign{Mode: boot.Micro, Isolation: boot.IsolationProcess, Count: 60, PerRun: 15, Seed: 1,
		Targets: []string{"fs", "disk", "mm", "ds", "pm"}, HostKinds: procplace.HostFaults()}
	rep, err := Run(c)
	require.NoError(t, err)
	var out bytes.Buffer
	rep.Write(&out, 5)
	require.True(t, rep.OK(), out.String())
	assert.Equal(t, 60, rep.Total, "every fault armed strikes")
	struck := 0
	for _, tgt := range rep.Targets {
		for _, n := range rep.HostFaults[tgt] {
			struck += n
		}
		assert.Positive(t, rep.Restarts[tgt], "%s was restarted", tgt)
	}
	assert.Equal(t, 60, struck, "host faults that struck")
	assert.Zero(t, rep.BytesLost)
	assert.Contains(t, c.Replay(0), "--kinds kill9,exit,panic,stackoverflow,oom,mapwrite,goroutinepanic,syscall,spin", "Replay(0)")
}

func TestHostFaultsNeedProcesses(t *testing.T) {
	_, err := Run(Campaign{Mode: boot.Micro, Count: 1, HostKinds: []procplace.HostFault{procplace.FaultKill9}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "host faults need the servers in processes")
}
