package sched

import (
	"fmt"
	"testing"
)

// showLevel shows the entity as ID/level.
func showLevel(e *Entity) string { return fmt.Sprintf("%d/%d", e.ID, e.Level) }

func TestMLFQ(t *testing.T) {
	forever := job{}
	tests := []struct {
		name   string
		params Params
		ticks  int
		jobs   []job
		want   string
	}{
		{"a long job sinks one level per allotment",
			Params{Queues: 3, QuantumTicks: 2}, 8,
			[]job{{id: 0}},
			"0/0 0/0 0/1 0/1 0/2 0/2 0/2 0/2"},
		{"a new job enters at the top and preempts (rules 1, 3)",
			Params{Queues: 3, QuantumTicks: 2}, 8,
			[]job{{id: 0}, {id: 1, run: 2, arrive: 3}},
			"0/0 0/0 0/1 1/0 1/0 0/1 0/2 0/2"},
		{"round robin within a level (rule 2)",
			Params{Queues: 1, QuantumTicks: 2}, 6,
			[]job{{id: 0}, {id: 1}},
			"0/0 0/0 1/0 1/0 0/0 0/0"},
		{"the allotment counts across blocking (rule 4)",
			Params{Queues: 2, QuantumTicks: 3}, 10,
			[]job{{id: 0, ioEvery: 1, ioTicks: 1}, {id: 1}},
			"0/0 1/0 1/0 1/0 0/0 1/1 0/0 1/1 1/1 0/1"},
		{"rule 4b keeps a blocking job at its level",
			Params{Queues: 2, QuantumTicks: 3, KeepLevelOnBlock: true}, 10,
			[]job{{id: 0, ioEvery: 1, ioTicks: 1}, {id: 1}},
			"0/0 1/0 1/0 1/0 0/0 1/1 0/0 1/1 0/0 1/1"},
		{"the boost lifts every job to the top (rule 5)",
			Params{Queues: 3, QuantumTicks: 1, BoostTicks: 6}, 9,
			[]job{{id: 0}, {id: 1}},
			"0/0 1/0 0/1 1/1 0/2 1/2 0/0 1/0 0/1"},
		{"a job blocked during a boost wakes at the top",
			Params{Queues: 2, QuantumTicks: 1, BoostTicks: 4}, 8,
			[]job{{id: 0, ioEvery: 2, ioTicks: 3}, {id: 1}},
			"0/0 1/0 0/1 1/1 1/0 1/1 0/0 1/1"},
		{"a woken job queues at the back",
			Params{Queues: 1, QuantumTicks: 3}, 10,
			[]job{{id: 0, ioEvery: 1, ioTicks: 1}, forever, {id: 2}},
			"0/0 0/0 0/0 0/0 2/0 2/0 2/0 0/0 0/0 0/0"},
		{"WokenToFront: a woken job runs at once",
			Params{Queues: 1, QuantumTicks: 3, WokenToFront: true}, 10,
			[]job{{id: 0, ioEvery: 1, ioTicks: 1}, {id: 1}, {id: 2}},
			"0/0 1/0 0/0 1/0 0/0 1/0 0/0 2/0 0/0 2/0"},
		{"slices and allotments per level",
			Params{LevelQuantumTicks: []int{1, 2, 4}, LevelAllotQuanta: []int{2, 1}}, 8,
			[]job{{id: 0}},
			"0/0 0/0 0/1 0/1 0/2 0/2 0/2 0/2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustNew(t, "mlfq", tt.params)
			if got := simulate(p, tt.ticks, showLevel, tt.jobs...); got != tt.want {
				t.Errorf("schedule = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMLFQParams(t *testing.T) {
	tests := []struct {
		name        string
		params      Params
		wantQuantum []int
		wantAllot   []int
	}{
		{"defaults", Params{}, []int{1, 1, 1}, []int{1, 1, 1}},
		{"one quantum for all", Params{Queues: 2, QuantumTicks: 10}, []int{10, 10}, []int{1, 1}},
		{"lists set the number of queues", Params{LevelQuantumTicks: []int{2, 4, 8, 16}},
			[]int{2, 4, 8, 16}, []int{1, 1, 1, 1}},
		{"short lists repeat their last entry", Params{Queues: 4, LevelQuantumTicks: []int{2, 4}, LevelAllotQuanta: []int{3}},
			[]int{2, 4, 4, 4}, []int{3, 3, 3, 3}},
		{"long lists are cut to Queues", Params{Queues: 2, LevelQuantumTicks: []int{2, 4, 8}},
			[]int{2, 4}, []int{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustNew(t, "mlfq", tt.params).(*mlfq)
			if fmt.Sprint(m.quantum) != fmt.Sprint(tt.wantQuantum) {
				t.Errorf("quantum per level = %v, want %v", m.quantum, tt.wantQuantum)
			}
			if fmt.Sprint(m.allot) != fmt.Sprint(tt.wantAllot) {
				t.Errorf("allotment per level = %v, want %v", m.allot, tt.wantAllot)
			}
		})
	}
}
