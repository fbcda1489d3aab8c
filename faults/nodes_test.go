package faults_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/faults"
)

// Node faults keep the invariants; each kind strikes, and the clients
// see their errors (a kill or a partition costs calls in flight).
func TestNodeCampaign(t *testing.T) {
	tests := []struct {
		name       string
		nodes      int
		kinds      []string
		wantErrors string // "some", "none", or "" (either: a kill between two calls costs none)
	}{
		{"kill among three", 3, []string{"kill"}, ""},
		{"partition of two", 2, []string{"partition"}, "some"},
		{"slow links", 3, []string{"slow"}, "none"},
		{"kill the only server", 2, []string{"kill"}, "some"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := faults.RunNodes(faults.NodeCampaign{Nodes: tt.nodes, Runs: 4, Seed: 3, Kinds: tt.kinds})
			require.NoError(t, err)
			assert.True(t, rep.OK(), "violations: %+v", rep.Runs)
			assert.Equal(t, 4, rep.Faults[tt.kinds[0]], "faults struck")
			if tt.wantErrors != "" {
				assert.Equal(t, tt.wantErrors == "some", len(rep.Errors) > 0, "errors seen: %v", rep.Errors)
			}
		})
	}
}

// A run is reproducible from its seed: the same campaign twice gives the
// same runs.
func TestNodeCampaignReplays(t *testing.T) {
	c := faults.NodeCampaign{Nodes: 3, Runs: 3, Seed: 11}
	first, err := faults.RunNodes(c)
	require.NoError(t, err)
	second, err := faults.RunNodes(c)
	require.NoError(t, err)
	assert.Equal(t, first.Runs, second.Runs)
}
