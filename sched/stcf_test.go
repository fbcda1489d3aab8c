package sched

import "testing"

func TestSTCF(t *testing.T) {
	checkSchedules(t, "stcf", []scheduleCase{
		{"shortest first", Params{}, 6,
			[]job{{id: 0, run: 3}, {id: 1, run: 1}, {id: 2, run: 2}},
			"1 2 2 0 0 0"},
		{"a shorter arrival preempts", Params{}, 8,
			[]job{{id: 0, run: 6}, {id: 1, run: 2, arrive: 2}},
			"0 0 1 1 0 0 0 0"},
		{"an equal time left does not preempt", Params{}, 5,
			[]job{{id: 0, run: 3}, {id: 1, run: 2, arrive: 1}},
			"0 0 0 1 1"},
		{"time left, not declared length, decides", Params{}, 7,
			[]job{{id: 0, run: 5}, {id: 1, run: 3, arrive: 3}},
			"0 0 0 0 0 1 1"},
		{"unknown length runs last and is preempted", Params{}, 5,
			[]job{{id: 0, run: 3, unknown: true}, {id: 1, run: 1, arrive: 1}},
			"0 1 0 0 ."},
		{"a woken short job preempts", Params{}, 9,
			[]job{{id: 0, run: 3, ioEvery: 1, ioTicks: 2}, {id: 1, run: 6}},
			"0 1 1 0 1 1 0 1 1"},
	})
}
