package kernel_test

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// hostBytes returns the host memory in use: live heap and goroutine stacks.
func hostBytes() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc + m.StackInuse
}

// Ten thousand tasks can be alive at once, each blocked in Receive, and
// each still gets its message. The host memory an idle task costs is
// logged, not asserted.
func TestTenThousandIdleTasks(t *testing.T) {
	const n = 10_000
	k := boot(t, kernel.Config{})
	before := hostBytes()
	got := make([]uint64, n)
	eps := make([]ipc.Endpoint, n)
	for i := range eps {
		eps[i] = spawn(t, k, "idle", func(sys ipc.Sys) {
			var m ipc.Message
			if sys.Receive(ipc.Any, &m) == nil {
				got[i] = m.Word(0)
			}
		})
	}
	var (
		alive, receiving int
		after            uint64
		sendErrs         int
	)
	spawn(t, k, "driver", func(sys ipc.Sys) {
		sys.Sleep(1) // every idle task runs up to its Receive first
		for _, task := range k.Tasks() {
			alive++
			if task.State() == "receiving" {
				receiving++
			}
		}
		after = hostBytes()
		for i, ep := range eps {
			if sys.Send(ep, word(tPing, uint64(i+1))) != nil {
				sendErrs++
			}
		}
	})
	run(t, k)
	assert.Equal(t, n+1, alive, "tasks alive at once (with the driver)")
	assert.Equal(t, n, receiving, "tasks blocked in Receive")
	assert.Zero(t, sendErrs)
	for i := range got {
		if !assert.Equal(t, uint64(i+1), got[i], "task %d's message", i) {
			break
		}
	}
	require.Empty(t, k.Tasks(), "every task ended")
	assert.Equal(t, int64(n+1), k.Stats().Deaths)
	if after > before {
		t.Logf("host memory per idle task: %d bytes (%d tasks, %d bytes)", (after-before)/n, n, after-before)
	}
}
