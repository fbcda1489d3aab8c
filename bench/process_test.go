//go:build linux

package bench

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
)

// TestProcessPlacementLongRun runs thousands of file operations with fs
// and disk as server processes: long enough for the Go runtime in them to
// start new threads after the sandbox is on (it once killed them: glibc's
// clone3 was not answered with ENOSYS, and such runs died within a few
// hundred operations), and the disk must see what it sees with tasks.
func TestProcessPlacementLongRun(t *testing.T) {
	const n = 1000
	task, err := Measure(fileioWorkload, Setup{Mode: boot.Micro}, n)
	require.NoError(t, err)
	proc, err := Measure(fileioWorkload, Setup{Mode: boot.Micro, Isolation: boot.IsolationProcess}, n)
	require.NoError(t, err)
	assert.Equal(t, task.DiskOps, proc.DiskOps, "DiskOps")
	assert.Equal(t, n, proc.Ops, "Ops")
}

// TestProcessPlacementPaging runs mixed (spawns, files, paging) with fs,
// disk and mm as server processes, long enough for mm to evict: the
// frame VMAlloc returns must cross back to mm's process (it once did
// not, and the benchmark task died of a segmentation fault).
func TestProcessPlacementPaging(t *testing.T) {
	const n = 300
	c, err := Measure(mixedWorkload, Setup{Mode: boot.Micro, Isolation: boot.IsolationProcess}, n)
	require.NoError(t, err)
	assert.Equal(t, n, c.Ops, "Ops")
	assert.NotZero(t, c.PageFaults, "PageFaults")
}

// TestProcessNullAgainstFlipcall: a process placement's null call is
// compared with a raw flipcall round trip measured right after each of
// its runs (one pair per repeat), a task placement's is not.
func TestProcessNullAgainstFlipcall(t *testing.T) {
	rep, err := RunWith(Options{Workloads: []string{"null"}, Profiles: []string{"l4"}, BenchTime: time.Millisecond, Repeat: 2,
		Placements: []Placement{{Label: "micro", Setup: Setup{Mode: boot.Micro}},
			{Label: "micro/process", Setup: Setup{Mode: boot.Micro, Isolation: boot.IsolationProcess}}}})
	require.NoError(t, err)
	require.Len(t, rep.Results, 2)
	assert.Zero(t, rep.Results[0].ToFlipcall, "micro's ToFlipcall")
	f := rep.Results[1].ToFlipcall
	assert.Positive(t, f.Min, "micro/process's ToFlipcall.Min")
	assert.LessOrEqual(t, f.Min, f.Median, "ToFlipcall: Min ≤ Median")
	assert.LessOrEqual(t, f.Median, f.Max, "ToFlipcall: Median ≤ Max")
	assert.Positive(t, rep.Reference.FlipcallNs, "Reference.FlipcallNs")
}

// BenchmarkNullProcess is the null call with null in a host process: its
// CPU profile shows the proxy's path (go test ./bench -run '^$' -bench
// NullProcess -cpuprofile cpu.out).
func BenchmarkNullProcess(b *testing.B) {
	Bench(nullWorkload, Setup{Mode: boot.Micro, Isolation: boot.IsolationProcess})(b)
}
