package kernel_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// traceOf runs a mixed workload whose Compute and Sleep lengths come from
// sys.Rand, and returns its JSON trace: workers call a user-space and an
// in-kernel service, one instance crashes and a supervisor restarts it.
func traceOf(t *testing.T, cfg kernel.Config) []byte {
	t.Helper()
	var buf bytes.Buffer
	tr := kernel.NewJSONTracer(&buf)
	cfg.Trace = tr
	k := boot(t, cfg)
	_, err := k.Place("kecho", testServer)
	require.NoError(t, err)
	spawn(t, k, "rs", func(sys ipc.Sys) {
		if sys.Supervise() != nil {
			return
		}
		start := func() { _, _ = sys.Spawn(ipc.TaskSpec{Name: "echo", Body: serve("echo", testServer)}) }
		start()
		start()
		for {
			var m ipc.Message
			if sys.Receive(ipc.Any, &m) != nil {
				return
			}
			for d, ok := sys.NextDeath(); ok; d, ok = sys.NextDeath() {
				if d.Name == "echo" {
					start()
				}
			}
		}
	})
	for w := 0; w < 4; w++ {
		spawn(t, k, "worker", func(sys ipc.Sys) {
			sys.Sleep(1000)
			echo, kecho := service(t, sys, "echo"), service(t, sys, "kecho")
			for i := 0; i < 20; i++ {
				sys.Compute(int64(sys.Rand() % 3_000_000))
				typ := tPing
				if w == 0 && i == 10 {
					typ = tCrash
				}
				var rep ipc.Message
				_ = sys.Call(echo, word(typ, sys.Rand()), &rep)
				_ = sys.Call(kecho, word(tPing, uint64(i)), &rep)
				sys.Sleep(int64(sys.Rand() % 2_000_000))
			}
		})
	}
	run(t, k)
	require.NoError(t, tr.Flush())
	require.NotEmpty(t, buf.Bytes())
	return buf.Bytes()
}

// The same configuration and seed give the same trace, byte for byte; the
// seed is what makes a run differ.
func TestDeterministicTrace(t *testing.T) {
	configs := []struct {
		name string
		cfg  kernel.Config
	}{
		{"one CPU, rr", kernel.Config{Seed: 1}},
		{"two CPUs, rr", kernel.Config{CPUs: 2, Seed: 1}},
		{"four CPUs, cfs, 1000 Hz", kernel.Config{CPUs: 4, Policy: "cfs", HZ: 1000, Seed: 1}},
		{"mach profile", kernel.Config{Profile: kernel.Profiles["mach"], Seed: 1}},
	}
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			a, b := traceOf(t, c.cfg), traceOf(t, c.cfg)
			assert.True(t, bytes.Equal(a, b), "two runs with seed %d differ (%d and %d bytes)", c.cfg.Seed, len(a), len(b))
			for _, kind := range []string{"switch", "tick", "reply", "fault", "death", "spawn"} {
				assert.True(t, bytes.Contains(a, []byte(`"ev":"`+kind+`"`)), "no %s event in the trace", kind)
			}
			other := c.cfg
			other.Seed = 2
			assert.False(t, bytes.Equal(a, traceOf(t, other)), "seeds 1 and 2 give the same trace")
		})
	}
}
