//go:build !js

package cluster_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/cluster"
	"github.com/mkos/mkos/kernel"
)

// traceLog writes every event of one node's kernel on a line.
type traceLog struct{ bytes.Buffer }

func (l *traceLog) Event(e *kernel.Event) {
	fmt.Fprintf(&l.Buffer, "%d %v %v %v %s %s %s\n", e.T, e.Kind, e.Task, e.Peer, e.Svc, e.Name, e.Detail)
}

// threeNodes: clients on a and c call echo on b, so frames from two nodes
// race for b's gateway.
const threeNodes = `
mode: micro
workload: {clients: 3, calls: 8, bulk_every: 3, compute: 300us}
nodes:
  - name: a
    servers: [{name: "null", placement: kernel}]
  - name: b
    servers: [{name: echo}, {name: "null", placement: kernel}]
  - name: c
    servers: []
    workload: {clients: 2, calls: 8, compute: 300us}
`

// traces runs the three-node cluster with seed and returns each node's
// trace.
func traces(t *testing.T, seed uint64) map[string][]byte {
	t.Helper()
	cfg, err := boot.Parse([]byte(threeNodes))
	require.NoError(t, err)
	cfg.Seed = seed
	logs := map[string]*traceLog{}
	c, err := cluster.New(cfg, cluster.Options{Tracer: func(node string) kernel.Tracer {
		logs[node] = &traceLog{}
		return logs[node]
	}})
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Run()
	require.NoError(t, err)
	assert.Empty(t, c.Node("c").System.Tally.Errors, "node c's errors")
	out := map[string][]byte{}
	for n, l := range logs {
		out[n] = l.Bytes()
	}
	return out
}

// The same seed gives every node the same trace, byte for byte, however
// the host schedules NATS's goroutines; another seed another run.
func TestClusterDeterminism(t *testing.T) {
	first := traces(t, 7)
	second := traces(t, 7)
	other := traces(t, 8)
	for _, node := range []string{"a", "b", "c"} {
		require.NotEmpty(t, first[node], "node %s traced", node)
		assert.True(t, bytes.Equal(first[node], second[node]), "node %s: seed 7 twice gave different traces (%d, %d bytes)", node, len(first[node]), len(second[node]))
	}
	assert.False(t, bytes.Equal(first["b"], other["b"]), "seeds 7 and 8 gave node b the same trace")
}
