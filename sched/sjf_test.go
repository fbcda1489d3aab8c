package sched

import "testing"

func TestSJF(t *testing.T) {
	checkSchedules(t, "sjf", []scheduleCase{
		{"shortest first", Params{}, 6,
			[]job{{id: 0, run: 3}, {id: 1, run: 1}, {id: 2, run: 2}},
			"1 2 2 0 0 0"},
		{"equal lengths in ID order", Params{}, 4,
			[]job{{id: 1, run: 2}, {id: 0, run: 2}},
			"0 0 1 1"},
		{"a short arrival waits for the running job", Params{}, 6,
			[]job{{id: 0, run: 4}, {id: 1, run: 1, arrive: 1}},
			"0 0 0 0 1 ."},
		{"declared length, not actual, decides", Params{}, 4,
			[]job{{id: 0, run: 2, declared: 1}, {id: 1, run: 1, declared: 5}},
			"0 0 1 ."},
		{"unknown length runs last", Params{}, 4,
			[]job{{id: 0, run: 1, unknown: true}, {id: 1, run: 2}},
			"1 1 0 ."},
		{"a woken shorter job waits for the running one", Params{}, 9,
			[]job{{id: 0, run: 4, ioEvery: 2, ioTicks: 1}, {id: 1, run: 5}},
			"0 0 1 1 1 1 1 0 0"},
	})
}
