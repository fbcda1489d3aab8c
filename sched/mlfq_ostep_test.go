package sched

import "testing"

// The wants marked "mlfq.py" are the traces of OSTEP's mlfq.py for the
// command given, as ID/level per tick (level 0 is mlfq.py's highest queue).
func TestMLFQBoostOrder(t *testing.T) {
	cpu := func(id, run int) job { return job{id: id, run: run} }
	tests := []struct {
		name   string
		params Params
		ticks  int
		jobs   []job
		want   string
	}{
		{"mlfq.py: the lower levels join the top lowest first (-n 3 -q 1 -B 4 -l 0,5,0:0,5,0:0,5,0)",
			Params{Queues: 3, QuantumTicks: 1, BoostTicks: 4, BoostLowestFirst: true}, 15,
			[]job{cpu(0, 5), cpu(1, 5), cpu(2, 5)},
			"0/0 1/0 2/0 0/1 0/0 1/0 2/0 0/1 0/0 1/0 2/0 1/1 1/0 2/0 2/1"},
		{"mlfq.py: a job whose slice just ended joins at the tail of its level (-n 3 -q 1 -B 3 -l 0,6,0:0,6,0)",
			Params{Queues: 3, QuantumTicks: 1, BoostTicks: 3, BoostLowestFirst: true}, 12,
			[]job{cpu(0, 6), cpu(1, 6)},
			"0/0 1/0 0/1 0/0 1/0 0/1 0/0 1/0 0/1 1/0 1/1 1/2"},
		{"by default the levels join the top highest first",
			Params{Queues: 3, QuantumTicks: 1, BoostTicks: 3}, 12,
			[]job{cpu(0, 6), cpu(1, 6)},
			"0/0 1/0 0/1 1/0 0/0 1/1 0/0 1/0 0/1 1/0 0/0 1/1"},
		{"mlfq.py: a boost on the tick a job blocks leaves its allotment fresh under rule 4b (-n 2 -q 2 -S -B 2 -i 1 -l 0,6,2)",
			Params{Queues: 2, QuantumTicks: 2, BoostTicks: 2, KeepLevelOnBlock: true}, 8,
			[]job{{id: 0, run: 6, ioEvery: 2, ioTicks: 1}},
			"0/0 0/0 . 0/0 0/0 . 0/0 0/0"},
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
