package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/sched"
)

const ms = 1_000_000

// busServer stands for the Pathfinder's information bus: every request
// holds it for 5 ms of CPU.
type busServer struct{}

func (busServer) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	ctx.Sys.Compute(5 * ms)
	return ipc.Reply(req)
}

// pathfinder runs the Mars Pathfinder story and returns how long the
// high-priority task waited for the bus. A low-priority task (L) holds the
// bus server; a medium-priority CPU hog (M) wakes; the high-priority task
// (H) needs the bus. Without inheritance M runs while H waits for the bus,
// which waits for M: priority inversion.
func pathfinder(t *testing.T, inherit bool) (highWaitNs int64, order []string) {
	k, err := kernel.New(kernel.Config{Policy: "prio", HZ: 1000, Sched: sched.Params{QuantumTicks: 1},
		NoPriorityInheritance: !inherit})
	require.NoError(t, err)
	_, err = k.Declare("bus")
	require.NoError(t, err)
	k.Spawn(ipc.TaskSpec{Name: "bus", Prio: 5, Body: func(sys ipc.Sys) { ipc.Serve(sys, "bus", busServer{}) }})
	call := func(sys ipc.Sys) {
		id, err := sys.Lookup("bus")
		require.NoError(t, err)
		var req, rep ipc.Message
		assert.NoError(t, sys.Call(ipc.ServiceEndpoint(id), &req, &rep))
	}
	k.Spawn(ipc.TaskSpec{Name: "low", Prio: 5, Body: func(sys ipc.Sys) {
		call(sys)
		order = append(order, "low")
	}})
	k.Spawn(ipc.TaskSpec{Name: "medium", Prio: 3, Body: func(sys ipc.Sys) {
		sys.Sleep(1 * ms)
		sys.Compute(50 * ms)
		order = append(order, "medium")
	}})
	k.Spawn(ipc.TaskSpec{Name: "high", Prio: 0, Body: func(sys ipc.Sys) {
		sys.Sleep(2 * ms)
		t0 := sys.Now()
		call(sys)
		highWaitNs = sys.Now() - t0
		order = append(order, "high")
	}})
	require.NoError(t, k.Run())
	return highWaitNs, order
}

func TestPriorityInversion(t *testing.T) {
	without, order := pathfinder(t, false)
	assert.Greater(t, without, int64(50*ms), "without inheritance the high task waits for the medium hog")
	assert.Equal(t, []string{"medium", "low", "high"}, order)

	with, order := pathfinder(t, true)
	assert.Less(t, with, int64(12*ms), "with inheritance the bus finishes low's request, then serves high")
	assert.Equal(t, []string{"high", "medium", "low"}, order, "high is served right after low's request; low then waits behind medium")
	t.Logf("high waited %s without inheritance, %s with", kernel.FormatNs(without), kernel.FormatNs(with))
}
