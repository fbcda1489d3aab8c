package schedlab

import (
	"bytes"
	"fmt"
	"github.com/mkos/mkos/internal/textdiff"
	"strings"
	"testing"

	"github.com/mkos/mkos/sched"
)

// showSchedule renders a per-tick schedule: the job of each tick, "." idle.
func showSchedule(perTick []int) string {
	var b strings.Builder
	for _, j := range perTick {
		if j < 0 {
			b.WriteByte('.')
		} else {
			fmt.Fprint(&b, j)
		}
	}
	return b.String()
}

// showTimes renders each job's response, turnaround and wait in ticks.
func showTimes(res *Result) string {
	var out []string
	for _, j := range res.Jobs {
		out = append(out, fmt.Sprintf("%d/%d/%d", j.Response(), j.Turnaround(), j.Wait()))
	}
	return strings.Join(out, " ")
}

// Run's schedule comes from the kernel: the tasks' switches, checked
// against its ticks.
func TestRun(t *testing.T) {
	cpu := func(length float64) Job { return Job{Length: length} }
	tests := []struct {
		name      string
		w         Workload
		wantTicks string // PerTick
		wantTimes string // response/turnaround/wait per job, in ticks
	}{
		{"fifo runs each job to its end, in order",
			Workload{Jobs: []Job{cpu(3), cpu(1), cpu(2)}, Policy: "fifo"},
			"000122", "0/3/0 3/4/3 4/6/4"},
		{"sjf runs the shortest first",
			Workload{Jobs: []Job{cpu(3), cpu(1), cpu(2)}, Policy: "sjf"},
			"122000", "3/6/3 0/1/0 1/3/1"},
		{"rr slices by the quantum",
			Workload{Jobs: []Job{cpu(3), cpu(3)}, Policy: "rr", Params: sched.Params{QuantumTicks: 2}},
			"001101", "0/5/2 2/6/3"},
		{"a job starts at its start time; the CPU idles before",
			Workload{Jobs: []Job{{Start: 2, Length: 2}}, Policy: "rr"},
			"..00", "0/2/0"},
		{"a job waits out its I/O while another runs",
			Workload{Jobs: []Job{{Length: 2, IOFreq: 1}, cpu(3)}, Policy: "mlfq", IOUnits: 2,
				Params: sched.Params{Queues: 1, QuantumTicks: 5}},
			"01110", "0/5/1 1/4/1"},
		{"a unit is ten ticks when a length has one decimal",
			Workload{Jobs: []Job{cpu(0.5), cpu(0.3)}, Policy: "fifo", TicksPerUnit: 10},
			"00000111", "0/5/0 5/8/5"},
		{"lottery charges whole quanta",
			Workload{Jobs: []Job{{Length: 1, Tickets: 1}}, Policy: "lottery", WholeQuantaUnits: 3,
				Params: sched.Params{QuantumTicks: 3}},
			"000", "0/3/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.w
			w.TicksPerUnit = max(w.TicksPerUnit, 1)
			res, err := Run(&w)
			if err != nil {
				t.Fatalf("Run() error: %v", err)
			}
			if got := showSchedule(res.PerTick); got != tt.wantTicks {
				t.Errorf("schedule = %q, want %q", got, tt.wantTicks)
			}
			if got := showTimes(res); got != tt.wantTimes {
				t.Errorf("times = %q, want %q", got, tt.wantTimes)
			}
		})
	}
}

// The same options give the same bytes, run after run.
func TestDeterminism(t *testing.T) {
	tests := []struct {
		name string
		tool string
		args []string
	}{
		{"scheduler.py", "scheduler.py", []string{"-p", "RR", "-s", "3", "-j", "6", "-q", "2"}},
		{"mlfq.py", "mlfq.py", []string{"-s", "7", "-j", "5", "-n", "3", "-q", "4", "-B", "20", "-S", "-I"}},
		{"lottery.py", "lottery.py", []string{"-s", "4", "-j", "4", "-q", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var outs [2]string
			for i := range outs {
				l, _, err := labFor(tt.tool, tt.args)
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				if err := l.WriteText(&b, true); err != nil {
					t.Fatal(err)
				}
				if err := l.WriteJSON(&b); err != nil {
					t.Fatal(err)
				}
				outs[i] = b.String()
			}
			if outs[0] != outs[1] {
				t.Errorf("two runs differ at %s", textdiff.FirstLine(outs[1], outs[0]))
			}
		})
	}
}
