package paginglab

import (
	"bytes"
	"github.com/mkos/mkos/internal/ostepcase"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// ostepCases returns every paging-policy.py reference case: its file name,
// its options and its output.
func ostepCases(t *testing.T) map[string]struct {
	opts OSTEP
	want string
} {
	cases, err := ostepcase.Load("../../tests/testdata/ostep-paging/*.txt")
	require.NoError(t, err)
	out := map[string]struct {
		opts OSTEP
		want string
	}{}
	for _, c := range cases {
		out[filepath.Base(c.File)] = struct {
			opts OSTEP
			want string
		}{parseArgs(t, c.Args), c.Out}
	}
	return out
}

// parseArgs reads paging-policy.py's flags.
func parseArgs(t *testing.T, args []string) OSTEP {
	o := DefaultOSTEP()
	for i := 0; i < len(args); i++ {
		next := func() string { i++; require.Less(t, i, len(args), args); return args[i] }
		switch args[i] {
		case "-a":
			o.Addresses = next()
		case "-f":
			o.AddressFile = next()
		case "-n":
			o.NumAddrs = next()
		case "-p":
			o.Policy = next()
		case "-b":
			n, err := strconv.Atoi(next())
			require.NoError(t, err)
			o.ClockBits = n
		case "-C":
			o.CacheSize = next()
		case "-m":
			o.MaxPage = next()
		case "-s":
			o.Seed = next()
		case "-N":
			o.NoTrace = true
		case "-c":
			o.Compute = true
		default:
			t.Fatalf("unknown flag %s", args[i])
		}
	}
	return o
}

// TestOSTEPCases runs every reference case of paging-policy.py through the
// lab — a task making the references through the MMU, mm paging with the
// named policy — with mm in its own task and in the kernel, and requires
// the tool's output byte for byte.
func TestOSTEPCases(t *testing.T) {
	cases := ostepCases(t)
	require.Len(t, cases, 16)
	for name, c := range cases {
		for _, inKernel := range []bool{false, true} {
			t.Run(name+map[bool]string{false: "/user", true: "/kernel"}[inKernel], func(t *testing.T) {
				cfg, err := c.opts.Config()
				require.NoError(t, err)
				cfg.InKernel = inKernel
				res, err := Run(cfg)
				require.NoError(t, err)
				var out bytes.Buffer
				res.WriteOSTEP(&out, &c.opts)
				assert.Equal(t, c.want, out.String())
				assert.Equal(t, int64(res.Misses), res.PageFaults, "every miss was a page fault, every hit none")
			})
		}
	}
}

func TestBeladyThroughTheKernel(t *testing.T) {
	refs := []uint64{1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5}
	misses := map[int]int{}
	for _, frames := range []int{3, 4} {
		res, err := Run(Config{Policy: "fifo", Frames: frames, Refs: refs})
		require.NoError(t, err)
		misses[frames] = res.Misses
	}
	assert.Equal(t, map[int]int{3: 9, 4: 10}, misses, "FIFO faults more with 4 frames than with 3")
}

func TestQuestionsWithoutCompute(t *testing.T) {
	o := DefaultOSTEP()
	o.Addresses = "1,2,3"
	cfg, err := o.Config()
	require.NoError(t, err)
	var out bytes.Buffer
	o.WriteArgs(&out)
	o.WriteQuestions(&out, cfg)
	assert.Contains(t, out.String(), "Assuming a replacement policy of FIFO, and a cache of size 3 pages,\n")
	assert.Contains(t, out.String(), "Access: 3  Hit/Miss?  State of Memory?\n")
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"policy", Config{Policy: "lfu", Frames: 3, Refs: []uint64{1}}, `policy: "lfu"`},
		{"frames", Config{Policy: "fifo", Frames: 0, Refs: []uint64{1}}, "frames: 0"},
		{"no refs", Config{Policy: "fifo", Frames: 3, Refs: []uint64{}}, "no references"},
		{"page too big", Config{Policy: "fifo", Frames: 3, Refs: []uint64{1 << 30}}, "above the lab's"},
		{"count", Config{Policy: "fifo", Frames: 3, MaxPage: 10}, "count and maxpage"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(c.cfg)
			assert.ErrorContains(t, err, c.want)
		})
	}
}
