//go:build !js

package cluster_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
)

// echoFailover: echo runs on b; a keeps a standby of it.
const echoFailover = `
mode: micro
workload: {clients: 0}
cluster: {timeout: 2ms, hop_latency: 20us, failover: FAILOVER}
nodes:
  - name: a
    servers: [{name: echo, standby: true}]
  - name: b
    servers: [{name: echo}]
`

// When b is killed, a starts its standby of echo at the first call that
// finds no exporter, and serves the later calls itself — only when the
// configuration allows it.
func TestFailoverStartsTheStandby(t *testing.T) {
	const ms = 1_000_000
	tests := []struct {
		failover string
		want     map[ipc.Errno]int
	}{
		// The call at 6 ms finds no exporter and fails; a's echo serves
		// the four after it.
		{"true", map[ipc.Errno]int{0: 9, ipc.ErrNoInstance: 1}},
		{"false", map[ipc.Errno]int{0: 5, ipc.ErrNoInstance: 5}},
	}
	for _, tt := range tests {
		t.Run("failover "+tt.failover, func(t *testing.T) {
			c := newCluster(t, strings.ReplaceAll(echoFailover, "FAILOVER", tt.failover))
			var out []outcome
			caller(t, c, 10, ms, &out)
			c.Kill("b", 5*ms+ms/2)
			_, err := c.Run()
			require.NoError(t, err)
			assert.Equal(t, tt.want, errnos(out), "outcomes by errno: %v", out)
		})
	}
}
