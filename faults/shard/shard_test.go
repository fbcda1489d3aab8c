//go:build !js

package shard

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/faults"
	"github.com/mkos/mkos/ipc"
)

// campaign is a few hundred faults of the default kinds and workload.
func campaign() faults.Campaign {
	return faults.Campaign{Count: 300, PerRun: 20, Seed: 7}
}

// reportText is a report as mkos faults prints it.
func reportText(rep *faults.Report) string {
	var b bytes.Buffer
	rep.Write(&b, 10)
	return b.String()
}

// campaignText is campaign()'s local report, made once for the tests
// that compare with it.
var campaignText = sync.OnceValues(func() (string, error) {
	rep, err := faults.Run(campaign())
	if err != nil {
		return "", err
	}
	return reportText(rep), nil
})

func localText(t *testing.T, c faults.Campaign) string {
	t.Helper()
	rep, err := faults.Run(c)
	require.NoError(t, err)
	return reportText(rep)
}

func TestShardedReportIsTheLocalOne(t *testing.T) {
	want, err := campaignText()
	require.NoError(t, err)
	rep, err := Run(context.Background(), Options{Campaign: campaign(), Workers: 3})
	require.NoError(t, err)
	assert.Equal(t, want, reportText(rep))
	assert.Len(t, rep.Runs, 15)
}

func TestShardedCampaignCarriesItsConfiguration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hybrid.yaml")
	// fs in user space, the rest in the kernel: a configuration the
	// workers can only know from the text sent to them.
	require.NoError(t, os.WriteFile(path, []byte("mode: hybrid\nservers:\n  - {name: fs, placement: user}\n"), 0o644))
	cfg, err := boot.Load(path)
	require.NoError(t, err)
	c := faults.Campaign{Base: &cfg, ConfigPath: path, Count: 60, PerRun: 20, Seed: 2, Kinds: []ipc.Injection{ipc.InjectCrash}}
	want := localText(t, c)
	require.Contains(t, want, "fs (user space)")
	rep, err := Run(context.Background(), Options{Campaign: c, Workers: 2})
	require.NoError(t, err)
	assert.Equal(t, want, reportText(rep))

	c.ConfigPath = ""
	_, err = Run(context.Background(), Options{Campaign: c, Workers: 2})
	require.Error(t, err, "a configuration the workers cannot be sent")
	assert.Contains(t, err.Error(), "must come from a file")
}

func TestShardedReportSurvivesAKilledWorker(t *testing.T) {
	want, err := campaignText()
	require.NoError(t, err)
	for _, c := range []struct {
		name string
		sent bool // killed after sending its result, before acknowledging
	}{
		{"mid-range", false},
		{"after the result, before the ack", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var mu sync.Mutex
			killed := false
			die := func(k int, r Range, i int, sent bool) bool {
				mu.Lock()
				defer mu.Unlock()
				// worker 0 dies in the first range it takes that has
				// two runs, after its first run or after sending.
				if k != 0 || killed || sent != c.sent || (!sent && i != r.Lo) {
					return false
				}
				killed = true
				return true
			}
			var logs []string
			o := Options{Campaign: campaign(), Workers: 3, RangeRuns: 2, AckWait: 300 * time.Millisecond, die: die,
				Log: func(f string, a ...any) { mu.Lock(); logs = append(logs, fmt.Sprintf(f, a...)); mu.Unlock() }}
			rep, err := Run(context.Background(), o)
			require.NoError(t, err)
			assert.True(t, killed, "worker 0 was never killed")
			assert.Equal(t, want, reportText(rep))
			// Killed mid-range, its range has no result: the campaign
			// cannot end without making it again. Killed after storing
			// its result, the range is made again only if the campaign
			// is still running when the ack wait ends (a slow run, -race);
			// either way the report above is the local one, counted once.
			if !c.sent {
				redelivered := slices.ContainsFunc(logs, func(l string) bool { return strings.HasSuffix(l, "delivery 2") })
				assert.True(t, redelivered, "no range was made again after worker 0 died: %q", logs)
			}
		})
	}
}

func TestCollectorKeepsARangeOnce(t *testing.T) {
	rs := ranges(5, 2) // [0,2) [2,4) [4,5)
	run := func(i int) *faults.RunResult { return &faults.RunResult{Index: i, Jobs: 1} }
	res := func(r Range) *result {
		out := &result{Range: r, Worker: "w"}
		for i := r.Lo; i < r.Hi; i++ {
			out.Runs = append(out.Runs, run(i))
		}
		return out
	}
	var progress []int
	col := newCollector(rs, func(done, total int) { progress = append(progress, done) }, nil)
	for _, r := range []Range{rs[1], rs[0], rs[1], rs[2], rs[0]} {
		require.NoError(t, col.add(res(r)))
	}
	assert.True(t, col.done())
	assert.Equal(t, []int{2, 4, 5}, progress, "progress counts each range once")
	var idx []int
	for _, r := range col.runs() {
		idx = append(idx, r.Index)
	}
	assert.Equal(t, []int{0, 1, 2, 3, 4}, idx)
}

func TestCollectorRefusesAResultThatDoesNotFit(t *testing.T) {
	rs := ranges(4, 2)
	for _, c := range []struct {
		name string
		res  result
		want string
	}{
		{"a range the campaign lacks", result{Range: Range{ID: 2, Lo: 4, Hi: 6}}, "does not have"},
		{"a range with other bounds", result{Range: Range{ID: 0, Lo: 0, Hi: 3}}, "does not have"},
		{"runs missing", result{Range: rs[0], Runs: []*faults.RunResult{{Index: 0}}}, "sent 1 runs"},
		{"runs out of order", result{Range: rs[0], Runs: []*faults.RunResult{{Index: 1}, {Index: 0}}}, "out of order"},
		{"a worker's error", result{Range: rs[1], Err: "boot: no disk"}, "boot: no disk"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := newCollector(rs, nil, nil).add(&c.res)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestRangesCoverTheRunsOnce(t *testing.T) {
	for _, c := range []struct {
		name       string
		runs, size int
		want       []Range
	}{
		{"exact", 4, 2, []Range{{0, 0, 2}, {1, 2, 4}}},
		{"a short last range", 5, 2, []Range{{0, 0, 2}, {1, 2, 4}, {2, 4, 5}}},
		{"one range", 3, 64, []Range{{0, 0, 3}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, ranges(c.runs, c.size))
		})
	}
	assert.Equal(t, maxRangeRuns, rangeSize(50_000, 2), "a million faults in ranges of the most runs")
	assert.Equal(t, 1, rangeSize(15, 3))
}

func TestOptionsRefuseBadOnes(t *testing.T) {
	for _, c := range []struct {
		name string
		o    Options
		want string
	}{
		{"no worker and no cluster", Options{Workers: 0}, "--workers 0"},
		{"negative workers", Options{Workers: -1, URL: "nats://h:4222"}, "--workers -1"},
		{"not a NATS address", Options{Workers: 1, URL: "http://h:4222"}, "not a NATS server address"},
		{"no host", Options{Workers: 1, URL: "nats://:4222"}, "no host"},
		{"a bad one in a list", Options{Workers: 1, URL: "nats://a:4222,b:4222"}, `"b:4222"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(context.Background(), c.o)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

// TestAViolationCrossesTheWire: a violating run sent back by a worker
// prints, in the campaign's report, as it does locally — with the command
// that replays it on one machine.
func TestAViolationCrossesTheWire(t *testing.T) {
	pc, err := faults.Prepare(faults.Campaign{Workload: "fileio", Count: 40, PerRun: 20, Seed: 7})
	require.NoError(t, err)
	var runs []*faults.RunResult
	for i := range 2 {
		r, err := pc.RunOne(i)
		require.NoError(t, err)
		runs = append(runs, r)
	}
	require.NotEmpty(t, runs[1].Strikes)
	blame := runs[1].Strikes[0]
	runs[1].Violations = append(runs[1].Violations, faults.Violation{Invariant: faults.Invariants[1], Detail: "a test's", Fault: &blame})
	want := reportText(pc.Report(runs))
	c := pc.Campaign()
	replay := c.Replay(1)
	require.Contains(t, replay, " --seed 8")
	require.Contains(t, want, "replay: "+replay+"\n")

	data, err := encode(&result{Range: Range{0, 0, 2}, Runs: runs})
	require.NoError(t, err)
	var back result
	require.NoError(t, decode(data, &back))
	assert.Equal(t, want, reportText(pc.Report(back.Runs)))
}
