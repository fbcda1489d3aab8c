package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// observed boots two tasks that take turns on one CPU: a sleeper and a
// computer.
func observed(t *testing.T) *kernel.Kernel {
	t.Helper()
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	for _, name := range []string{"a", "b"} {
		_, err := k.Spawn(ipc.TaskSpec{Name: name, Prio: 3, Body: func(sys ipc.Sys) {
			for range 20 {
				sys.Compute(1_000_000)
				sys.Sleep(1_000_000)
			}
		}})
		require.NoError(t, err)
	}
	return k
}

func TestObserverSeesTheCPUsAndTasks(t *testing.T) {
	k := observed(t)
	calls := 0
	var sawRunning, sawQueued, sawSleeping bool
	k.Observe(func() {
		calls++
		for _, c := range k.CPUViews() {
			sawRunning = sawRunning || c.CurName != ""
			sawQueued = sawQueued || len(c.Queue) > 0
		}
		for _, tv := range k.TaskViews() {
			assert.Equal(t, 3, tv.Prio, "Prio of %s", tv.Name)
			sawSleeping = sawSleeping || tv.State == "sleeping"
		}
	})
	require.NoError(t, k.Run())
	assert.Greater(t, calls, 40, "safe points")
	assert.True(t, sawRunning, "a CPU was seen running a task")
	assert.True(t, sawQueued, "a run queue was seen holding a task")
	assert.True(t, sawSleeping, "a task was seen sleeping")
}

func TestObserverChangesNothing(t *testing.T) {
	plain := observed(t)
	require.NoError(t, plain.Run())
	watched := observed(t)
	watched.Observe(func() { watched.TaskViews(); watched.CPUViews() })
	require.NoError(t, watched.Run())
	assert.Equal(t, plain.Now(), watched.Now(), "Now()")
	assert.Equal(t, plain.Stats(), watched.Stats(), "Stats()")
}

func TestStopEndsTheRunAtASafePoint(t *testing.T) {
	k := observed(t)
	k.Observe(func() {
		if k.Now() >= 5_000_000 {
			k.Stop()
		}
	})
	require.NoError(t, k.Run())
	assert.Less(t, k.Now(), int64(10_000_000), "Now() after Stop at 5 ms (the tasks need 40 ms)")
	assert.Len(t, k.Tasks(), 2, "tasks stopped before their end, as at a time limit")
}

func TestTaskViewsNameWhatATaskWaitsOn(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	srv, err := k.Spawn(ipc.TaskSpec{Name: "srv", Body: func(sys ipc.Sys) {
		var m ipc.Message
		sys.Receive(ipc.Any, &m)
		sys.Sleep(1_000_000) // the caller waits for the reply meanwhile
		sys.Reply(m.Source, &m)
	}})
	require.NoError(t, err)
	_, err = k.Spawn(ipc.TaskSpec{Name: "cli", Body: func(sys ipc.Sys) {
		var req, rep ipc.Message
		sys.Call(srv, &req, &rep)
	}})
	require.NoError(t, err)
	var waits ipc.Endpoint
	k.Observe(func() {
		for _, tv := range k.TaskViews() {
			if tv.Name == "cli" && tv.WaitsOn != 0 {
				waits = tv.WaitsOn
			}
		}
	})
	require.NoError(t, k.Run())
	assert.Equal(t, srv, waits, "WaitsOn of the caller")
}
