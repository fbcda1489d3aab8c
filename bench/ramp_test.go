package bench_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/bench"
)

// The ramp with the autoscaler gains instances while the load is high and
// has a lower p99 than without; the same seed gives the same report; the
// report directory holds the tables, the charts and the JSON.
func TestRamp(t *testing.T) {
	on, err := bench.RunRamp(bench.RampOptions{Autoscale: true})
	require.NoError(t, err)
	off, err := bench.RunRamp(bench.RampOptions{Autoscale: false})
	require.NoError(t, err)
	again, err := bench.RunRamp(bench.RampOptions{Autoscale: true})
	require.NoError(t, err)
	assert.Equal(t, on, again, "same seed, same report")
	assert.Greater(t, on.MaxInstances, 1, "MaxInstances with the autoscaler")
	assert.Equal(t, 1, off.MaxInstances, "MaxInstances without")
	assert.Less(t, on.P99Ns, off.P99Ns, "p99 with the autoscaler")
	assert.Zero(t, on.Errors+int64(on.ClientErrors), "errors with the autoscaler")
	assert.Equal(t, 1, on.Samples[len(on.Samples)-1].Instances, "instances after the load")

	var out bytes.Buffer
	bench.WriteRamp(&out, []*bench.RampReport{on, off})
	assert.Contains(t, out.String(), "INST(on)")
	dir := t.TempDir()
	require.NoError(t, bench.WriteRampDir(dir, "mkos bench --workload ramp", []*bench.RampReport{on, off}))
	for _, f := range []string{"ramp.md", "ramp.json", "ramp-instances.png", "ramp-instances.svg", "ramp-p99.png", "ramp-p99.svg"} {
		st, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err, f)
		assert.Positive(t, st.Size(), f)
	}
}
