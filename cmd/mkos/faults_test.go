package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultsSmallCampaign(t *testing.T) {
	out, _, err := mkos(t, "faults", "--count", "20", "--per-run", "10", "--kinds", "crash,slow", "--seed", "3")
	require.NoError(t, err, out)
	assert.True(t, strings.HasPrefix(out, "mkos faults: micro mode, workload mixed, 2 runs of up to 10 faults, seed 3\n"), out)
	assert.Contains(t, out, "bytes lost: 0 of")
	assert.Contains(t, out, "invariants: all held in 2 runs")
}

func TestFaultsMonoHaltIsExpected(t *testing.T) {
	out, _, err := mkos(t, "faults", "--mode", "mono", "--count", "3", "--per-run", "1", "--kinds", "crash")
	require.NoError(t, err, out)
	assert.Contains(t, out, "3 of 3 runs: 3 kernel panics")
}

func TestFaultsRejectsBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--mode", "bogus"}, `"bogus"`},
		{[]string{"--kinds", "crash,melt"}, `"melt"`},
		{[]string{"--targets", "fs,gpu"}, `"gpu"`},
		{[]string{"--workload", "compile"}, `"compile"`},
		{[]string{"--count", "0"}, "--count"},
	} {
		_, _, err := mkos(t, append([]string{"faults"}, c.args...)...)
		require.Error(t, err, "%v", c.args)
		assert.Contains(t, err.Error(), c.want)
	}
}
