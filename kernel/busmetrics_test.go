package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// slowServer answers tPing after 1 ms of Compute, tFail with EINVAL.
var slowServer = handler(func(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if req.Type == tFail {
		return ipc.ErrorReply(req, ipc.ErrInvalid)
	}
	ctx.Sys.Compute(1_000_000)
	return ipc.Reply(req)
})

// The window counts only what happened in it; the totals count since boot.
func TestBusMetricsWindow(t *testing.T) {
	k := boot(t, kernel.Config{BusWindowNs: 1_000_000})
	spawn(t, k, "svc", serve("svc", testServer))
	var got ipc.BusMetrics
	spawn(t, k, "client", func(sys ipc.Sys) {
		dst := service(t, sys, "svc")
		var rep ipc.Message
		for i := 0; i < 5; i++ {
			_ = sys.Call(dst, word(tPing, 1), &rep)
		}
		_ = sys.Sleep(10_000_000) // the first five leave the window
		for _, typ := range []ipc.Type{tPing, tFail, tPing} {
			_ = sys.Call(dst, word(typ, 1), &rep)
		}
		got, _, _ = k.BusMetrics("svc")
	})
	run(t, k)
	want := ipc.BusMetrics{Requests: 8, Errors: 1, Arrived: 3, Done: 3, Failed: 1}
	assert.Equal(t, want.Requests, got.Requests, "Requests")
	assert.Equal(t, want.Errors, got.Errors, "Errors")
	assert.Equal(t, want.Arrived, got.Arrived, "Arrived")
	assert.Equal(t, want.Done, got.Done, "Done")
	assert.Equal(t, want.Failed, got.Failed, "Failed")
	assert.Zero(t, got.InFlight, "InFlight")
	assert.Positive(t, got.P50Ns, "P50Ns")
	assert.LessOrEqual(t, got.P50Ns, got.P99Ns, "P50Ns <= P99Ns")
	assert.LessOrEqual(t, got.WindowNs, k.BusWindowNs(), "WindowNs")
	assert.InDelta(t, float64(got.Arrived)*1e9/float64(got.WindowNs), got.PerSec(), 1e-9)
}

// Requests queued behind a busy instance show as queue and in flight, at
// the service and at the instance that holds them; per-instance counts add
// up to the service's.
func TestBusMetricsQueueAndInstances(t *testing.T) {
	tests := []struct {
		name      string
		instances int
		clients   int
		wantQueue int64 // at the service, while all clients wait
	}{
		{"one instance, four callers", 1, 4, 3},
		{"two instances, four callers", 2, 4, 2},
		{"two instances, one caller", 2, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{HZ: 10_000}) // ticks let the observer in
			for i := 0; i < tt.instances; i++ {
				spawn(t, k, "svc", serve("svc", slowServer))
			}
			for i := 0; i < tt.clients; i++ {
				spawn(t, k, "client", func(sys ipc.Sys) {
					_ = sys.Sleep(1000)
					var rep ipc.Message
					_ = sys.Call(service(t, sys, "svc"), word(tPing, 1), &rep)
				})
			}
			var mid ipc.BusMetrics
			var midPer []kernel.InstanceMetrics
			spawn(t, k, "observer", func(sys ipc.Sys) {
				_ = sys.Sleep(500_000)
				mid, midPer, _ = k.BusMetrics("svc")
			})
			run(t, k)
			assert.Equal(t, int64(tt.clients), mid.InFlight, "InFlight while waiting")
			assert.Equal(t, tt.wantQueue, mid.Queue, "Queue while waiting")
			require.Len(t, midPer, tt.instances)
			var q int64
			for _, in := range midPer {
				q += in.Queue
			}
			assert.Equal(t, tt.wantQueue, q, "the instances' queues add up to the service's")
			end, per, err := k.BusMetrics("svc")
			require.NoError(t, err)
			assert.Equal(t, int64(tt.clients), end.Requests, "Requests")
			assert.Zero(t, end.InFlight, "InFlight at the end")
			var n int64
			for _, in := range per {
				n += in.Requests
				assert.Zero(t, in.InFlight, "instance %v InFlight at the end", in.Task)
			}
			assert.Equal(t, end.Requests, n, "the instances' requests add up to the service's")
			if tt.clients > 1 {
				assert.GreaterOrEqual(t, end.P99Ns, int64(1_000_000), "P99Ns counts the queueing")
			}
		})
	}
}

// BusMetrics of an unknown service is ErrNoService.
func TestBusMetricsUnknown(t *testing.T) {
	k := boot(t, kernel.Config{})
	_, _, err := k.BusMetrics("nope")
	assert.ErrorIs(t, err, ipc.ErrNoService)
}
