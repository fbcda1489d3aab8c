package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// computeJob is a Compute-bound task for the scheduling tests.
type computeJob struct {
	name string
	prio int
	ns   int64
}

// schedRun runs jobs (spawned in order) under cfg and returns when each
// finished and the CPU switches the trace saw, as task names.
func schedRun(t *testing.T, cfg kernel.Config, jobs []computeJob) (ends map[string]int64, switches []string) {
	t.Helper()
	var rec kernel.Recorder
	cfg.Trace = &rec
	k := boot(t, cfg)
	ends = map[string]int64{}
	for _, j := range jobs {
		spawnSpec(t, k, ipc.TaskSpec{Name: j.name, Prio: j.prio, Body: func(sys ipc.Sys) {
			sys.Compute(j.ns)
			ends[j.name] = sys.Now()
		}})
	}
	run(t, k)
	for _, e := range rec.Events {
		if e.Kind == kernel.EvSwitch {
			switches = append(switches, e.Name)
		}
	}
	return ends, switches
}

// The policy decides who runs: rr slices at ticks, fifo runs each task to
// its end, prio runs the most important task first.
func TestSchedulingPolicies(t *testing.T) {
	const ms = 1_000_000
	tests := []struct {
		name      string
		policy    string
		jobs      []computeJob
		wantFirst string // the job that finishes first
		// wantSwitches is the exact switch sequence, or nil to check
		// only that a and b interleave.
		wantSwitches []string
	}{
		{"rr preempts at ticks", "rr",
			[]computeJob{{"a", 0, 50 * ms}, {"b", 0, 50 * ms}}, "a", nil},
		{"fifo never preempts", "fifo",
			[]computeJob{{"a", 0, 50 * ms}, {"b", 0, 50 * ms}}, "a", []string{"a", "b"}},
		{"prio runs the more important task first", "prio",
			[]computeJob{{"low", 3, 30 * ms}, {"high", 0, 30 * ms}}, "high", []string{"low", "high", "low"}},
		{"prio is ignored by rr", "rr",
			[]computeJob{{"low", 3, 30 * ms}, {"high", 0, 30 * ms}}, "low", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ends, switches := schedRun(t, kernel.Config{Policy: tt.policy}, tt.jobs)
			require.Len(t, ends, 2)
			first, second := tt.jobs[0].name, tt.jobs[1].name
			if tt.wantFirst == second {
				first, second = second, first
			}
			assert.Less(t, ends[first], ends[second], "%s must finish before %s", first, second)
			if tt.wantSwitches != nil {
				assert.Equal(t, tt.wantSwitches, switches)
				assert.Less(t, ends[first], ends[second]/2+ms, "%s ran to its end without sharing", first)
				return
			}
			assert.GreaterOrEqual(t, len(switches), 5, "interleaving: switches %v", switches)
			for i := 1; i < len(switches); i++ {
				assert.NotEqual(t, switches[i-1], switches[i], "switch %d", i)
			}
			assert.Greater(t, ends[first], ends[second]*8/10, "%s finished long before %s: no sharing", first, second)
		})
	}
}

// A longer quantum means fewer switches for the same work.
func TestQuantumTicks(t *testing.T) {
	jobs := []computeJob{{"a", 0, 100_000_000}, {"b", 0, 100_000_000}}
	_, one := schedRun(t, kernel.Config{Policy: "rr"}, jobs)
	cfg := kernel.Config{Policy: "rr"}
	cfg.Sched.QuantumTicks = 5
	_, five := schedRun(t, cfg, jobs)
	assert.Greater(t, len(one), 3*len(five), "switches with quantum 1: %d, with quantum 5: %d", len(one), len(five))
	assert.GreaterOrEqual(t, len(five), 3)
}

// Two Compute-bound tasks on two CPUs finish in about half the virtual time
// they need on one.
func TestMultiCPUParallelism(t *testing.T) {
	const work = 100_000_000
	elapsed := map[int]int64{}
	busy := map[int][]int64{}
	for _, cpus := range []int{1, 2} {
		k := boot(t, kernel.Config{CPUs: cpus})
		for _, name := range []string{"a", "b"} {
			spawn(t, k, name, func(sys ipc.Sys) { sys.Compute(work) })
		}
		run(t, k)
		elapsed[cpus] = k.Now()
		for _, c := range k.CPUStats() {
			busy[cpus] = append(busy[cpus], c.BusyNs)
		}
	}
	assert.GreaterOrEqual(t, elapsed[1], int64(2*work))
	assert.GreaterOrEqual(t, elapsed[2], int64(work))
	assert.InDelta(t, 0.5, float64(elapsed[2])/float64(elapsed[1]), 0.02,
		"1 CPU: %s, 2 CPUs: %s", kernel.FormatNs(elapsed[1]), kernel.FormatNs(elapsed[2]))
	assert.Equal(t, []int64{work, work}, busy[2], "each CPU computes one task")
}

// A pinned task runs only on its CPU.
func TestPinnedTaskStaysOnItsCPU(t *testing.T) {
	var rec kernel.Recorder
	k := boot(t, kernel.Config{CPUs: 4, Trace: &rec})
	var pinned ipc.Endpoint
	pinned = spawnSpec(t, k, ipc.TaskSpec{Name: "pinned", Pin: true, CPU: 3, Body: func(sys ipc.Sys) {
		for i := 0; i < 5; i++ {
			sys.Compute(3_000_000)
			sys.Sleep(1_000_000)
		}
	}})
	for _, name := range []string{"x", "y", "z"} {
		spawn(t, k, name, func(sys ipc.Sys) {
			for i := 0; i < 5; i++ {
				sys.Compute(5_000_000)
				sys.Sleep(500_000)
			}
		})
	}
	run(t, k)
	ran := 0
	for _, e := range rec.Events {
		if e.Kind == kernel.EvSwitch && e.Peer == pinned {
			ran++
			assert.Equal(t, 3, e.CPU, "the pinned task ran on CPU %d", e.CPU)
		}
	}
	assert.Positive(t, ran)
}

// Yield hands the CPU to the next ready task.
func TestYield(t *testing.T) {
	k := boot(t, kernel.Config{Policy: "fifo"})
	var log []string
	for _, name := range []string{"a", "b"} {
		spawn(t, k, name, func(sys ipc.Sys) {
			for i := 0; i < 3; i++ {
				log = append(log, name)
				sys.Yield()
			}
		})
	}
	run(t, k)
	assert.Equal(t, []string{"a", "b", "a", "b", "a", "b"}, log)
}
