package sched

import (
	"math"
	"testing"
)

func TestCFS(t *testing.T) {
	checkSchedules(t, "cfs", []scheduleCase{
		{"equal weights alternate in ID order", Params{}, 6,
			[]job{{id: 1}, {id: 0}},
			"0 1 0 1 0 1"},
		{"the choice is re-made once per slice", Params{QuantumTicks: 3}, 9,
			[]job{{id: 0}, {id: 1}},
			"0 0 0 1 1 1 0 0 0"},
		{"a late arrival starts at the minimum vruntime", Params{}, 10,
			[]job{{id: 0}, {id: 1, arrive: 5}},
			"0 0 0 0 0 0 1 0 1 0"},
		{"a sleeper does not bank credit", Params{}, 17,
			[]job{{id: 0, ioEvery: 4, ioTicks: 6}, {id: 1}},
			"0 1 0 1 0 1 0 1 1 1 1 1 1 1 0 0 1"},
		{"nice 5 gets about a third of nice 0", Params{}, 8,
			[]job{{id: 0}, {id: 1, prio: 5}},
			"0 1 0 0 0 1 0 0"},
	})
}

func TestCFSShares(t *testing.T) {
	const ticks = 10000
	got := counts(mustNew(t, "cfs", Params{}), ticks,
		job{id: 0}, job{id: 1, prio: 5}, job{id: 2, prio: -5})
	// weights 1024, 335, 3121
	total := 1024.0 + 335 + 3121
	for id, w := range map[int]float64{0: 1024, 1: 335, 2: 3121} {
		if s := float64(got[id]) / ticks; math.Abs(s-w/total) > 0.005 {
			t.Errorf("share of %d = %.4f, want %.4f ± 0.005", id, s, w/total)
		}
	}
}

func TestCFSWeight(t *testing.T) {
	tests := []struct {
		prio int
		want int64
	}{
		{-20, 88761}, {-21, 88761}, {0, 1024}, {1, 820}, {19, 15}, {100, 15},
	}
	for _, tt := range tests {
		if got := weight(&Entity{Prio: tt.prio}); got != tt.want {
			t.Errorf("weight(Prio %d) = %d, want %d", tt.prio, got, tt.want)
		}
	}
}

func TestCFSPreempts(t *testing.T) {
	tests := []struct {
		name           string
		curNs, wokenNs int64
		want           bool
	}{
		{"less vruntime preempts", 5 * tickNs, 3 * tickNs, true},
		{"equal vruntime waits", 5 * tickNs, 5 * tickNs, false},
		{"more vruntime waits", 3 * tickNs, 5 * tickNs, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustNew(t, "cfs", Params{})
			cur := &Entity{ID: 1, VruntimeNs: tt.curNs}
			woken := &Entity{ID: 0, VruntimeNs: tt.wokenNs}
			if got := p.Preempts(cur, woken); got != tt.want {
				t.Errorf("Preempts(vruntime %d, woken %d) = %v, want %v", tt.curNs, tt.wokenNs, got, tt.want)
			}
		})
	}
}

func TestCFSChargesRanNs(t *testing.T) {
	tests := []struct {
		name  string
		prio  int
		ranNs int64
		want  int64
	}{
		{"nice 0 runs at real time", 0, 3000, 3000},
		{"nice 5 runs about 3x faster", 5, 3350, 10240},
		{"nice -5 runs about 3x slower", -5, 3121, 1024},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &Entity{Prio: tt.prio}
			e.RanNs = tt.ranNs
			charge(e)
			charge(e) // charging twice adds nothing
			if e.VruntimeNs != tt.want {
				t.Errorf("VruntimeNs after RanNs %d = %d, want %d", tt.ranNs, e.VruntimeNs, tt.want)
			}
		})
	}
}
