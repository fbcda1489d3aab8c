package sched

import (
	"math"
	"testing"
)

func TestStride(t *testing.T) {
	checkSchedules(t, "stride", []scheduleCase{
		{"OSTEP figure 9.3: A 100, B 50, C 250 tickets", Params{}, 9,
			[]job{{id: 0, tickets: 100}, {id: 1, tickets: 50}, {id: 2, tickets: 250}},
			"0 1 2 2 2 0 2 2 0"},
		{"equal tickets alternate in ID order", Params{}, 6,
			[]job{{id: 1}, {id: 0}},
			"0 1 0 1 0 1"},
		{"the choice is re-made once per slice", Params{QuantumTicks: 2}, 8,
			[]job{{id: 0}, {id: 1}},
			"0 0 1 1 0 0 1 1"},
		{"a late arrival starts at the current pass, not 0", Params{}, 10,
			[]job{{id: 0}, {id: 1, arrive: 5}},
			"0 0 0 0 0 0 1 0 1 0"},
		{"a woken job does not catch up for the time it slept", Params{}, 17,
			[]job{{id: 0, ioEvery: 4, ioTicks: 6}, {id: 1}},
			"0 1 0 1 0 1 0 1 1 1 1 1 1 1 0 0 1"},
	})
}

func TestStrideShares(t *testing.T) {
	const ticks = 8000
	got := counts(mustNew(t, "stride", Params{}), ticks,
		job{id: 0, tickets: 100}, job{id: 1, tickets: 50}, job{id: 2, tickets: 250})
	for id, share := range map[int]float64{0: 0.25, 1: 0.125, 2: 0.625} {
		if s := float64(got[id]) / ticks; math.Abs(s-share) > 0.002 {
			t.Errorf("share of %d = %.4f, want %.4f ± 0.002", id, s, share)
		}
	}
}
