package sched

import "testing"

func TestSTCF(t *testing.T) {
	tests := []struct {
		name  string
		ticks int
		jobs  []job
		want  string
	}{
		{"shortest first", 6,
			[]job{{id: 0, run: 3}, {id: 1, run: 1}, {id: 2, run: 2}},
			"1 2 2 0 0 0"},
		{"a shorter arrival preempts", 8,
			[]job{{id: 0, run: 6}, {id: 1, run: 2, arrive: 2}},
			"0 0 1 1 0 0 0 0"},
		{"an equal time left does not preempt", 5,
			[]job{{id: 0, run: 3}, {id: 1, run: 2, arrive: 1}},
			"0 0 0 1 1"},
		{"time left, not declared length, decides", 7,
			[]job{{id: 0, run: 5}, {id: 1, run: 3, arrive: 3}},
			"0 0 0 0 0 1 1"},
		{"unknown length runs last and is preempted", 5,
			[]job{{id: 0, run: 3, unknown: true}, {id: 1, run: 1, arrive: 1}},
			"0 1 0 0 ."},
		{"a woken short job preempts", 9,
			[]job{{id: 0, run: 3, ioEvery: 1, ioTicks: 2}, {id: 1, run: 6}},
			"0 1 1 0 1 1 0 1 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustNew(t, "stcf", Params{})
			if got := simulate(p, tt.ticks, showID, tt.jobs...); got != tt.want {
				t.Errorf("schedule = %q, want %q", got, tt.want)
			}
		})
	}
}
