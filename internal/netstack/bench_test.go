package netstack

import (
	"bytes"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// BenchmarkTransfer1MiB measures host time per frame of a 1 MiB TCP
// transfer between two stacks (no loss): the cost of the deterministic
// stack, barrier included, per frame on the wire.
func BenchmarkTransfer1MiB(b *testing.B) {
	frames := 0
	pauses := uint64(0)
	var host time.Duration
	for b.Loop() {
		w := newWire(b, 2, 1, 0)
		x := newTransfer(b, w, 1<<20, 1)
		start := time.Now()
		w.run(600e9, x.step)
		host += time.Since(start)
		if !bytes.Equal(x.got, x.data) {
			b.Fatalf("received %d bytes, want %d intact", len(x.got), len(x.data))
		}
		frames += len(w.trace)
		pauses += w.stacks[0].Stats().Pauses + w.stacks[1].Stats().Pauses
	}
	b.ReportMetric(float64(pauses)/float64(frames), "pauses/frame")
	b.ReportMetric(float64(host.Nanoseconds())/float64(frames), "ns/frame")
	b.ReportMetric(float64(frames)/float64(b.N), "frames/op")
}

// BenchmarkBarrier measures one Pause/Resume barrier on an idle stack.
func BenchmarkBarrier(b *testing.B) {
	s, err := New(hostConfig(1, 1))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Destroy()
	for b.Loop() {
		s.Advance(0)
	}
}

// TestDestroyLeavesNoGoroutines: Destroy stops every goroutine the stack
// started (TCP's processors).
func TestDestroyLeavesNoGoroutines(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	s, err := New(hostConfig(1, 1))
	if err != nil {
		t.Fatal(err)
	}
	c := mustSock(t, s, IPv4, TCP)
	s.Connect(c, hostAddr(2, 80))
	s.Destroy()
}
