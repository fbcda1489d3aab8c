package ostepcpu

import (
	"testing"

	"github.com/mkos/mkos/sched"
)

// policyAt builds a switchPolicy over three processes (programs c2,i,c1:
// it leaves the CPU after 3 and 5 ticks of CPU), with last having run
// last, ran ticks of CPU used by each, queued the ones in the run queue
// and fresh the one whose I/O ends now (-1: none).
func policyAt(t *testing.T, onEnd, immediate bool, last int, ran []int64, queued []int, fresh int) (*switchPolicy, []*sched.Entity) {
	t.Helper()
	m := &machine{switchOnEnd: onEnd, runImmediate: immediate}
	for range 3 {
		if err := m.loadProgram("c2,i,c1"); err != nil {
			t.Fatal(err)
		}
	}
	const now = 42 * instrNs
	p := newSwitchPolicy(m, func() int64 { return now })
	ents := make([]*sched.Entity, 3)
	for i := range ents {
		ents[i] = &sched.Entity{ID: 7 + i}
		p.Add(ents[i], sched.Created)
		p.Remove(ents[i])
		ents[i].RanNs = ran[i] * instrNs
	}
	for _, pid := range queued {
		why := sched.Preempted
		if pid == fresh {
			why = sched.Woken
		}
		p.Add(ents[pid], why)
	}
	p.last = last
	return p, ents
}

// TestSwitchPolicyPick: the policy picks as the script's next_proc, with
// the -S and -I rules.
func TestSwitchPolicyPick(t *testing.T) {
	tests := []struct {
		name             string
		onEnd, immediate bool
		last             int
		ran              []int64
		queued           []int
		fresh            int
		want             int // -1: none
	}{
		{"the next after the last, wrapping", false, false, 2, []int64{1, 1, 3}, []int{0, 1}, -1, 0},
		{"the first process first", false, false, -1, []int64{0, 0, 0}, []int{0, 1, 2}, -1, 0},
		{"IO_RUN_LATER passes over an I/O that ends now", false, false, 0, []int64{3, 3, 0}, []int{1, 2}, 1, 2},
		{"IO_RUN_LATER runs it when no one else is ready", false, false, 0, []int64{3, 3, 0}, []int{1}, 1, 1},
		{"IO_RUN_IMMEDIATE runs it first", false, true, 0, []int64{3, 0, 3}, []int{1, 2}, 2, 2},
		{"SWITCH_ON_END waits for its blocked owner", true, false, 0, []int64{3, 0, 0}, []int{1, 2}, -1, -1},
		{"SWITCH_ON_END runs its owner back", true, false, 0, []int64{3, 0, 0}, []int{0, 1, 2}, 0, 0},
		{"SWITCH_ON_END moves on when the owner is done", true, false, 1, []int64{0, 5, 0}, []int{0, 2}, -1, 2},
		{"nothing queued", false, false, 0, []int64{5, 5, 5}, nil, -1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ents := policyAt(t, tt.onEnd, tt.immediate, tt.last, tt.ran, tt.queued, tt.fresh)
			got := -1
			if e := p.Pick(); e != nil {
				got = e.ID - ents[0].ID
			}
			if got != tt.want {
				t.Errorf("Pick() = %d, want %d", got, tt.want)
			}
			if got >= 0 && (ents[got].Queued || p.Len() != len(tt.queued)-1 || p.last != got) {
				t.Errorf("after Pick() = %d: queued %v, Len %d, last %d; want it dequeued and last", got, ents[got].Queued, p.Len(), p.last)
			}
		})
	}
}

// TestSwitchPolicyPreempts: only IO_RUN_IMMEDIATE preempts, only for an
// I/O that ends now, and never a process about to leave the CPU anyway.
func TestSwitchPolicyPreempts(t *testing.T) {
	tests := []struct {
		name      string
		immediate bool
		curRan    int64
		fresh     bool
		want      bool
	}{
		{"immediate, mid-burst", true, 1, true, true},
		{"immediate, cur about to do its I/O", true, 3, true, false},
		{"immediate, cur about to exit", true, 5, true, false},
		{"immediate, not an I/O's end", true, 1, false, false},
		{"later", false, 1, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fresh := -1
			if tt.fresh {
				fresh = 1
			}
			p, ents := policyAt(t, false, tt.immediate, 0, []int64{tt.curRan, 3, 0}, []int{1}, fresh)
			if got := p.Preempts(ents[0], ents[1]); got != tt.want {
				t.Errorf("Preempts() = %v, want %v", got, tt.want)
			}
		})
	}
}
