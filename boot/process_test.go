package boot_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
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
