//go:build !js

package cluster_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/cluster"
)

// twoNodes is a cluster whose demo clients on node a call echo on node b
// (with bulk windows every other call) and null on a.
const twoNodes = `
mode: micro
workload: {clients: 2, calls: 10, bulk_every: 2}
nodes:
  - name: a
    servers: [{name: "null", placement: kernel}]
  - name: b
    servers: [{name: echo}]
`

func runCluster(t *testing.T, yaml string, o cluster.Options) *cluster.Cluster {
	t.Helper()
	cfg, err := boot.Parse([]byte(yaml))
	require.NoError(t, err)
	c, err := cluster.New(cfg, o)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	_, err = c.Run()
	require.NoError(t, err)
	return c
}

// A client on one node calls a service on another through the gateways,
// windows included, and gets every answer right.
func TestCrossNodeCall(t *testing.T) {
	c := runCluster(t, twoNodes, cluster.Options{})
	tally := c.Node("a").System.Tally
	assert.Empty(t, tally.Errors, "errors")
	assert.Zero(t, tally.Wrong, "wrong echoes")
	assert.Equal(t, 2, tally.Finished, "clients that finished")
	assert.Equal(t, 2*10*2, tally.Calls, "calls answered right (echo and null)")
	assert.Equal(t, int64(20), requests(t, c, "a", "echo"), "echo calls on a (routed to its gateway)")
	assert.Equal(t, int64(20), requests(t, c, "b", "echo"), "echo calls served on b")
}

// requests returns how many requests the named service of node got.
func requests(t *testing.T, c *cluster.Cluster, node, svc string) int64 {
	t.Helper()
	for _, s := range c.Node(node).System.Kernel.Services() {
		if s.Name == svc {
			return s.Stats.Requests
		}
	}
	return 0
}
