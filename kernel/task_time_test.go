package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// TaskTime is a task's CPU time: its Compute as user time, the kernel's
// charges while it held the CPU as system time; a dead task's endpoint
// gives ErrDead.
func TestTaskTime(t *testing.T) {
	k := boot(t, kernel.Config{})
	var worker, done ipc.Endpoint
	var busy, idle, self ipc.TaskTime
	var staleErr error
	spawn(t, k, "driver", func(sys ipc.Sys) {
		worker, _ = sys.Spawn(ipc.TaskSpec{Name: "worker", Body: func(sys ipc.Sys) {
			sys.Compute(5000)
			sys.Sleep(1_000_000)
		}})
		done, _ = sys.Spawn(ipc.TaskSpec{Name: "done", Body: func(ipc.Sys) {}})
		sys.Sleep(100_000)
		busy, _ = sys.TaskTime(worker)
		for range 10 {
			sys.Yield()
		}
		self, _ = sys.TaskTime(sys.Self())
		idle, _ = sys.TaskTime(worker)
		_, staleErr = sys.TaskTime(done)
	})
	run(t, k)
	assert.Equal(t, int64(5000), busy.UserNs, "TaskTime(worker).UserNs after Compute(5000)")
	assert.Positive(t, busy.SysNs, "TaskTime(worker).SysNs: its spawn, trap and sleep")
	assert.Equal(t, busy, idle, "a sleeping task's time does not grow")
	assert.Zero(t, self.UserNs, "TaskTime(self).UserNs without Compute")
	assert.Positive(t, self.SysNs, "TaskTime(self).SysNs after traps")
	assert.ErrorIs(t, staleErr, ipc.ErrDead, "TaskTime(dead task)")
}
