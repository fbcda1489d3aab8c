package hw

import (
	"fmt"
	"slices"
	"testing"
)

func TestDeliveryAtLatency(t *testing.T) {
	l, _, c := wired(t, 2, SwitchOptions{Link: Link{LatencyNs: 50_000}})
	l.sendAll(t, c[0], 1000, [][]byte{frame(c[1].MAC(), c[0].MAC(), 7, 1514)})
	l.run()
	got := l.ring[c[1]]
	// Sent at 1000, on the wire 12304 ns, 50 µs of latency, then the
	// receive's copy: 1516 bytes at 4 GB/s = 379 ns.
	if len(got) != 1 || got[0].atNs != 1000+12_304+50_000+379 || seqOf(got[0].frame) != 7 {
		t.Fatalf("received = %+v, want frame 7 at %d", got, 1000+12_304+50_000+379)
	}
	if n := len(l.ring[c[0]]); n != 0 {
		t.Errorf("the sender received %d frames, want 0", n)
	}
}

func TestLearningAndFlooding(t *testing.T) {
	l, s, c := wired(t, 3, SwitchOptions{})
	// 0 -> 1: 1's address is unknown, flooded to 1 and 2; 2 filters it.
	l.sendAll(t, c[0], 0, [][]byte{frame(c[1].MAC(), c[0].MAC(), 1, 64)})
	l.run()
	// 1 -> 0: 0's address was learned, only 0 gets it.
	l.sendAll(t, c[1], l.now, [][]byte{frame(c[0].MAC(), c[1].MAC(), 2, 64)})
	l.run()
	// A broadcast from 2 reaches 0 and 1.
	l.sendAll(t, c[2], l.now, [][]byte{frame(Broadcast, c[2].MAC(), 3, 64)})
	l.run()
	want := SwitchStats{Frames: 3, Flooded: 2, Delivered: 5}
	if got := s.Stats(); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	for i, wantSeqs := range [][]uint32{{2, 3}, {1, 3}, {}} {
		if got := seqs(l.ring[c[i]]); !slices.Equal(got, wantSeqs) {
			t.Errorf("card %d received %v, want %v", i, got, wantSeqs)
		}
	}
	if f := c[2].Stats().RxFiltered; f != 1 {
		t.Errorf("card 2 RxFiltered = %d, want 1", f)
	}
}

func TestHairpinLoopsBack(t *testing.T) {
	l := newLoop()
	s, err := NewSwitch(Single(l), SwitchOptions{Hairpin: true})
	if err != nil {
		t.Fatal(err)
	}
	n := newCard(t, 0, Options{})
	if _, err := s.Attach(0, n); err != nil {
		t.Fatal(err)
	}
	l.drain(t, n)
	l.sendAll(t, n, 0, [][]byte{frame(n.MAC(), n.MAC(), 1, 64), frame(Broadcast, n.MAC(), 2, 64), frame(HostMAC(9, 9), n.MAC(), 3, 64)})
	l.run()
	// Its own address and the broadcast come back; another address is
	// flooded back to it and filtered.
	if got := seqs(l.ring[n]); !slices.Equal(got, []uint32{1, 2}) {
		t.Errorf("received %v, want [1 2]", got)
	}
}

func TestAttachRejects(t *testing.T) {
	l := newLoop()
	s, _ := NewSwitch(l, SwitchOptions{})
	a := newCard(t, 1, Options{})
	if _, err := s.Attach(0, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Attach(0, a); err == nil {
		t.Error("Attach() of an attached card = nil, want an error")
	}
	if _, err := s.Attach(1, newCard(t, 1, Options{Name: "eth1"})); err == nil {
		t.Error("Attach() of a second card with the same address = nil, want an error")
	}
	if _, err := NewSwitch(nil, SwitchOptions{}); err == nil {
		t.Error("NewSwitch(nil) = nil, want an error")
	}
	bad := []Link{{Loss: 1.5}, {Dup: -0.1}, {LatencyNs: -1}, {BurstProb: 0.1}, {ReorderNs: -3}}
	for _, b := range bad {
		if _, err := NewSwitch(l, SwitchOptions{Link: b}); err == nil {
			t.Errorf("NewSwitch(link %+v) = nil, want an error", b)
		}
		if err := s.SetLink(0, b); err == nil {
			t.Errorf("SetLink(%+v) = nil, want an error", b)
		}
	}
	if err := s.SetLink(5, Link{}); err == nil {
		t.Error("SetLink(no such port) = nil, want an error")
	}
	if err := s.SetPartition(0, 7); err == nil {
		t.Error("SetPartition(no such port) = nil, want an error")
	}
}

// faulty is a link that does everything to frames.
var faulty = Link{LatencyNs: 20_000, Loss: 0.05, Dup: 0.03, Reorder: 0.1, ReorderNs: 30_000, BurstProb: 0.005, BurstLen: 8}

// trace sends 2000 frames from card 0 to card 1 over a faulty link with
// seed and returns what card 1 read, as text, and the switch's counters.
func trace(t *testing.T, seed uint64) (string, SwitchStats) {
	l, s, c := wired(t, 2, SwitchOptions{Seed: seed, Link: faulty})
	var frames [][]byte
	for i := range 2000 {
		frames = append(frames, frame(c[1].MAC(), c[0].MAC(), uint32(i), 100))
	}
	l.sendAll(t, c[0], 0, frames)
	l.run()
	out := ""
	for _, r := range l.ring[c[1]] {
		out += fmt.Sprintf("%d@%d ", seqOf(r.frame), r.atNs)
	}
	return out, s.Stats()
}

func TestFaultsAreSeededAndReproducible(t *testing.T) {
	a, sa := trace(t, 1)
	b, sb := trace(t, 1)
	if a != b || sa != sb {
		t.Fatalf("two runs with seed 1 differ:\n%+v\n%+v", sa, sb)
	}
	c, sc := trace(t, 2)
	if a == c {
		t.Errorf("seeds 1 and 2 gave the same trace")
	}
	for _, s := range []SwitchStats{sa, sc} {
		if s.Frames != 2000 || s.Delivered+s.Lost+s.Burst-s.Duplicated != 2000 {
			t.Errorf("Stats() = %+v: frames do not add up to 2000", s)
		}
		// The rates are the link's, within a wide band (2000 draws).
		for _, r := range []struct {
			name      string
			got       int64
			low, high int64
		}{{"lost", s.Lost, 50, 160}, {"duplicated", s.Duplicated, 30, 100}, {"reordered", s.Reordered, 130, 280}, {"burst", s.Burst, 8, 200}} {
			if r.got < r.low || r.got > r.high {
				t.Errorf("%s = %d, want %d..%d of 2000", r.name, r.got, r.low, r.high)
			}
		}
	}
}

func TestReorderingOvertakes(t *testing.T) {
	l, _, c := wired(t, 2, SwitchOptions{Seed: 3, Link: Link{Reorder: 0.2, ReorderNs: 100_000}})
	var frames [][]byte
	for i := range 200 {
		frames = append(frames, frame(c[1].MAC(), c[0].MAC(), uint32(i), 100))
	}
	l.sendAll(t, c[0], 0, frames)
	l.run()
	got := seqs(l.ring[c[1]])
	if len(got) != 200 || slices.IsSorted(got) {
		t.Errorf("received %d frames, sorted %v; want all 200, out of order", len(got), slices.IsSorted(got))
	}
}

func TestPartitionAndHeal(t *testing.T) {
	l, s, c := wired(t, 3, SwitchOptions{})
	send := func(from, to int, seq uint32) {
		l.sendAll(t, c[from], l.now, [][]byte{frame(c[to].MAC(), c[from].MAC(), seq, 64)})
		l.run()
	}
	if err := s.SetPartition(0); err != nil {
		t.Fatal(err)
	}
	send(0, 1, 1) // flooded: both copies cross the cut
	send(1, 2, 2) // flooded: the copy to 2 passes, the copy to 0 crosses
	send(2, 0, 3) // crosses
	s.Heal()
	send(0, 1, 4)
	send(1, 0, 5)
	for i, want := range [][]uint32{{5}, {4}, {2}} {
		if got := seqs(l.ring[c[i]]); !slices.Equal(got, want) {
			t.Errorf("card %d received %v, want %v", i, got, want)
		}
	}
	if p := s.Stats().Partitioned; p != 4 {
		t.Errorf("Partitioned = %d, want 4", p)
	}
}

func TestDropUntilAndPortLinks(t *testing.T) {
	l, s, c := wired(t, 3, SwitchOptions{})
	s.DropUntil(1_000_000)
	l.sendAll(t, c[0], 0, [][]byte{frame(c[1].MAC(), c[0].MAC(), 1, 64)})
	l.run()
	if err := s.SetLink(2, Link{Loss: 1}); err != nil {
		t.Fatal(err)
	}
	l.sendAll(t, c[0], 1_000_000, [][]byte{frame(Broadcast, c[0].MAC(), 2, 64)})
	l.run()
	if got := seqs(l.ring[c[1]]); !slices.Equal(got, []uint32{2}) {
		t.Errorf("card 1 received %v, want [2]", got)
	}
	if got := seqs(l.ring[c[2]]); len(got) != 0 {
		t.Errorf("card 2, behind a link that loses all, received %v", got)
	}
	if st := s.Stats(); st.Faulted != 2 || st.Lost != 1 {
		t.Errorf("Stats() = %+v, want 2 faulted (flooded), 1 lost", st)
	}
}

func seqs(rs []received) []uint32 {
	out := []uint32{}
	for _, r := range rs {
		out = append(out, seqOf(r.frame))
	}
	return out
}

// Two cards send to a third at full speed through a port of the same
// speed: the port's queue serializes them — arrivals at least one frame's
// serialization apart — and drops what finds it full.
func TestPortQueueIsABottleneck(t *testing.T) {
	cases := []struct {
		name       string
		queue      int
		overflowed bool
	}{
		{"deep queue", 200, false},
		{"shallow queue drops", 8, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, s, cards := wired(t, 3, SwitchOptions{Link: Link{LatencyNs: 1000, SpeedBps: DefaultSpeedBps, QueueFrames: c.queue}})
			l.sendAll(t, cards[2], 0, [][]byte{frame(Broadcast, cards[2].MAC(), 0, 60)}) // the switch learns card 2
			l.run()
			before := s.Stats().Delivered
			for _, from := range cards[:2] {
				var frames [][]byte
				for i := range 50 {
					frames = append(frames, frame(cards[2].MAC(), from.MAC(), uint32(i), 1514))
				}
				l.sendAll(t, from, l.now, frames)
			}
			l.run()
			st := s.Stats()
			st.Delivered -= before
			got := l.ring[cards[2]]
			if st.Delivered+st.Overflowed != 100 || int64(len(got)) != st.Delivered || (st.Overflowed > 0) != c.overflowed {
				t.Fatalf("Stats() = %+v, %d received; want 100 in all, overflow %v", st, len(got), c.overflowed)
			}
			if st.MaxQueue > int64(c.queue) {
				t.Errorf("MaxQueue = %d, want at most %d", st.MaxQueue, c.queue)
			}
			// The card reads each frame when it arrives (its copy takes
			// 379 ns, less than a frame's 12304 on the wire), so reads are
			// a frame's serialization apart too.
			for i := 1; i < len(got); i++ {
				if d := got[i].atNs - got[i-1].atNs; d < 12_304 {
					t.Fatalf("frames %d and %d read %d ns apart, want at least 12304", i-1, i, d)
				}
			}
		})
	}
}
