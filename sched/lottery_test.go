package sched

import (
	"math"
	"testing"
)

func TestLotteryShares(t *testing.T) {
	const ticks = 20000
	tests := []struct {
		name string
		jobs []job
		want map[int]float64 // share of the CPU per ID
	}{
		{"tickets set the shares",
			[]job{{id: 0, tickets: 100}, {id: 1, tickets: 200}, {id: 2, tickets: 700}},
			map[int]float64{0: 0.1, 1: 0.2, 2: 0.7}},
		{"zero tickets means DefaultTickets",
			[]job{{id: 0}, {id: 1, tickets: DefaultTickets}},
			map[int]float64{0: 0.5, 1: 0.5}},
		{"one ticket still runs",
			[]job{{id: 0, tickets: 1}, {id: 1, tickets: 99}},
			map[int]float64{0: 0.01, 1: 0.99}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := counts(mustNew(t, "lottery", Params{Seed: 1}), ticks, tt.jobs...)
			for id, share := range tt.want {
				if s := float64(got[id]) / ticks; math.Abs(s-share) > 0.02 {
					t.Errorf("share of %d = %.3f, want %.3f ± 0.02", id, s, share)
				}
			}
		})
	}
}

func TestLotteryDeterminism(t *testing.T) {
	jobs := []job{{id: 0, tickets: 10}, {id: 1, tickets: 20}, {id: 2, tickets: 30}}
	run := func(seed uint64) string {
		return simulate(mustNew(t, "lottery", Params{Seed: seed}), 40, showID, jobs...)
	}
	tests := []struct {
		name     string
		a, b     uint64
		wantSame bool
	}{
		{"same seed, same schedule", 7, 7, true},
		{"seed 0 is a seed", 0, 0, true},
		{"another seed, another schedule", 7, 8, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := run(tt.a), run(tt.b)
			if (a == b) != tt.wantSame {
				t.Errorf("seed %d: %q\nseed %d: %q\nsame = %v, want %v", tt.a, a, tt.b, b, a == b, tt.wantSame)
			}
		})
	}
}

func TestLotteryQuantum(t *testing.T) {
	p := mustNew(t, "lottery", Params{QuantumTicks: 3, Seed: 5})
	got := simulate(p, 12, func(e *Entity) string { return "x" }, job{id: 0}, job{id: 1})
	// Whatever wins, a slice lasts 3 ticks: check slices change only on
	// multiples of 3.
	s := newSim(mustNew(t, "lottery", Params{QuantumTicks: 3, Seed: 5}), job{id: 0}, job{id: 1})
	var prev *Entity
	for tick := range 12 {
		e, _ := s.step(tick, showID)
		if prev != nil && e != prev && tick%3 != 0 {
			t.Errorf("switch at tick %d, want switches only at multiples of 3", tick)
		}
		prev = e
	}
	if got != "x x x x x x x x x x x x" {
		t.Errorf("schedule = %q, want the CPU busy every tick", got)
	}
}

func TestSplitMix64(t *testing.T) {
	// Reference outputs of SplitMix64 from seed 0 (Vigna's splitmix64.c).
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	r := splitmix64{0}
	for i, w := range want {
		if got := r.next(); got != w {
			t.Errorf("next() #%d = %#x, want %#x", i, got, w)
		}
	}
}

func TestSplitMix64Below(t *testing.T) {
	tests := []struct {
		name string
		n    uint64
	}{
		{"one", 1}, {"three", 3}, {"power of two", 1 << 10}, {"huge", math.MaxUint64 - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := splitmix64{42}
			for range 1000 {
				if v := r.below(tt.n); v >= tt.n {
					t.Fatalf("below(%d) = %d, want < %d", tt.n, v, tt.n)
				}
			}
		})
	}
}
