package main

import (
	"encoding/json"
	"github.com/mkos/mkos/internal/ostepcase"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVMMatchesPagingPolicyPy runs every paging-policy.py reference case
// as `mkos vm --ostep` with the tool's own flags, and requires its output
// byte for byte.
func TestVMMatchesPagingPolicyPy(t *testing.T) {
	cases, err := ostepcase.Load("../../tests/testdata/ostep-paging/*.txt")
	require.NoError(t, err)
	require.Len(t, cases, 16)
	for _, c := range cases {
		t.Run(filepath.Base(c.File), func(t *testing.T) {
			out, _, err := mkos(t, append([]string{"vm", "--ostep"}, c.Args...)...)
			require.NoError(t, err)
			assert.Equal(t, c.Out, out)
		})
	}
}

func TestVMTable(t *testing.T) {
	out, _, err := mkos(t, "vm", "--policy", "lru", "--frames", "3", "--refs", "0,1,2,0,1,3,0,3,1,2,1")
	require.NoError(t, err)
	assert.Contains(t, out, "policy lru, 3 frames, 11 references")
	assert.Regexp(t, `(?m)^5\s+3\s+miss\s+2\s+\[0, 1, 3\]$`, out)
	assert.Contains(t, out, "hits 6, misses 5, hit rate 54.55%")
	assert.Contains(t, out, "5 page faults sent to mm")
}

func TestVMJSONAndAddresses(t *testing.T) {
	out, _, err := mkos(t, "vm", "-p", "OPT", "-C", "2", "--addresses", "0x1000,0x2010,0x1ff8,0x0", "--page-size", "4096", "--json", "--mm-in-kernel")
	require.NoError(t, err)
	var r struct {
		Policy string   `json:"policy"`
		Refs   []uint64 `json:"refs"`
		Steps  []struct {
			Hit    bool     `json:"hit"`
			Victim *uint64  `json:"victim"`
			Frames []uint64 `json:"frames"`
		} `json:"steps"`
		Hits      int    `json:"hits"`
		Placement string `json:"mm_placement"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, "opt", r.Policy)
	assert.Equal(t, []uint64{1, 2, 1, 0}, r.Refs)
	assert.Equal(t, 1, r.Hits)
	assert.Equal(t, "kernel", r.Placement)
	require.Len(t, r.Steps, 4)
	require.NotNil(t, r.Steps[3].Victim)
	assert.Equal(t, []uint64{1, 0}, r.Steps[3].Frames)
}

func TestVMQuestionsWithoutCompute(t *testing.T) {
	out, _, err := mkos(t, "vm", "--ostep", "-a", "3,4")
	require.NoError(t, err)
	assert.Contains(t, out, "ARG addresses 3,4\n")
	assert.Contains(t, out, "Access: 4  Hit/Miss?  State of Memory?\n")
	assert.NotContains(t, out, "FINALSTATS")
}

func TestVMErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"vm", "-p", "lfu"}, `"lfu"`},
		{[]string{"vm", "-C", "0"}, "frames"},
		{[]string{"vm", "-a", "1,x"}, `"x"`},
		{[]string{"vm", "--clock-hand", "left"}, "--clock-hand"},
		{[]string{"vm", "-a", "1", "--addresses", "4096"}, "one way"},
		{[]string{"vm", "translate", "--task-pages", "0", "0x10"}, "page 0"},
	} {
		_, _, err := mkos(t, c.args...)
		assert.ErrorContains(t, err, c.want, "%v", c.args)
	}
}

func TestVMTranslate(t *testing.T) {
	out, _, err := mkos(t, "vm", "translate", "--task-pages", "0x400-0x401", "--write", "0x400123", "0x402000")
	require.NoError(t, err)
	assert.Contains(t, out, "directory index 1, table index 0, offset 0x123")
	assert.Contains(t, out, "present writable user accessed dirty")
	assert.Contains(t, out, "frame 0 × 4096 + 0x123 = 0x123")
	assert.Contains(t, out, "page fault: not present")
	assert.Contains(t, out, "frame 1: 1 mapping(s)")
}
