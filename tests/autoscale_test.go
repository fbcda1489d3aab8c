package tests

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/workerproto"
)

// rampConfig is micro on 4 CPUs with a scalable worker (1..4 instances,
// aiming at 1 request in flight per instance), and the autoscaler when on.
func rampConfig(on bool) boot.Config {
	cfg := boot.Default()
	cfg.CPUs, cfg.Workload = 4, boot.WorkloadConf{}
	cfg.BusWindow = boot.Duration(20 * time.Millisecond)
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: "worker", Placement: "user", Instances: 1,
		Scale: &boot.ScaleConf{Min: 1, Max: 4, Queue: 1}})
	if on {
		cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: "autoscale", Placement: "user"})
	}
	return cfg
}

// rampLoad runs clients against the worker in three phases of 100 ms —
// 1, 6, then 1 client — each asking for 1 ms of work and thinking 200 µs,
// and samples the worker's live instances every 10 ms until 600 ms.
func rampLoad(t *testing.T, cfg boot.Config) (instances []int, errs int) {
	t.Helper()
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	client := func(from, to int64) func(ipc.Sys) {
		return func(s ipc.Sys) {
			_ = s.Sleep(from)
			dst, err := ipc.Dial(s, workerproto.Name)
			require.NoError(t, err)
			for s.Now() < to {
				if workerproto.Do(s, dst, 1_000_000) != nil {
					errs++
				}
				_ = s.Sleep(200_000)
			}
		}
	}
	const ms = int64(time.Millisecond)
	spawn := func(name string, body func(ipc.Sys)) {
		_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: name, Body: body})
		require.NoError(t, err)
	}
	spawn("steady", client(1*ms, 300*ms))
	for range 5 {
		spawn("burst", client(100*ms, 200*ms))
	}
	spawn("sampler", func(s ipc.Sys) {
		for s.Now() < 600*ms {
			_ = s.Sleep(10 * ms)
			_, per, err := sys.Kernel.BusMetrics(workerproto.Name)
			require.NoError(t, err)
			instances = append(instances, len(per))
		}
	})
	_, err = sys.Run()
	require.NoError(t, sys.Close())
	require.NoError(t, err)
	return instances, errs
}

// The autoscaler adds worker instances while the burst lasts and takes
// them away after it, failing no request; without it the worker stays at
// one. The same seed gives the same instance counts.
func TestAutoscaleFollowsTheRamp(t *testing.T) {
	on, errsOn := rampLoad(t, rampConfig(true))
	off, errsOff := rampLoad(t, rampConfig(false))
	again, _ := rampLoad(t, rampConfig(true))
	t.Logf("instances every 10 ms, autoscale on: %v", on)
	require.Len(t, on, 60)
	assert.Equal(t, 1, on[5], "instances before the burst (50 ms)")
	assert.Greater(t, maxOf(on[10:20]), 1, "instances during the burst: %v", on)
	assert.Equal(t, 1, on[len(on)-1], "instances at the end: %v", on)
	assert.Equal(t, 1, maxOf(off), "instances without the autoscaler: %v", off)
	assert.Zero(t, errsOn, "failed requests with the autoscaler")
	assert.Zero(t, errsOff, "failed requests without it")
	assert.Equal(t, on, again, "same seed, same instance counts")
}

func maxOf(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
