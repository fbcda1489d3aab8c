package netstack

import (
	"bytes"
	"container/heap"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
)

// wire joins stacks as a switch would: every frame a stack sends is
// delivered to the stack owning its destination MAC (or to every other
// stack for broadcast) latencyNs later, unless the seeded loss rule drops
// it. It advances every stack's clock to the next frame or timer, so a run
// is a function of the seeds alone. trace records every frame sent.
type wire struct {
	t         testing.TB
	stacks    []*Stack
	latencyNs int64
	lossPct   int
	rng       *rand.Rand
	nowNs     int64
	flights   flightHeap
	seq       uint64
	trace     []traced
	dropped   int
}

// traced is one frame on the wire: when, from which stack, its bytes, and
// whether the loss rule dropped it.
type traced struct {
	atNs    int64
	from    int
	frame   []byte
	dropped bool
}

type flight struct {
	atNs  int64
	seq   uint64
	to    int
	frame []byte
}

type flightHeap []flight

func (h flightHeap) Len() int { return len(h) }
func (h flightHeap) Less(i, j int) bool {
	if h[i].atNs != h[j].atNs {
		return h[i].atNs < h[j].atNs
	}
	return h[i].seq < h[j].seq
}
func (h flightHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *flightHeap) Push(x any)   { *h = append(*h, x.(flight)) }
func (h *flightHeap) Pop() any {
	old := *h
	f := old[len(old)-1]
	*h = old[:len(old)-1]
	return f
}

// hostConfig is host i's configuration (i from 1) on 10.0.0.0/24.
func hostConfig(i int, seed uint64) Config {
	return Config{
		Seed:     seed*1000 + uint64(i),
		MAC:      fmt.Sprintf("02:00:00:00:00:%02x", i),
		Addrs:    []netip.Prefix{netip.MustParsePrefix(fmt.Sprintf("10.0.0.%d/24", i))},
		Loopback: true,
	}
}

// hostAddr is host i's address and port.
func hostAddr(i int, port uint16) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}), port)
}

// newWire builds n stacks (hosts 1..n) on one wire.
func newWire(t testing.TB, n int, seed uint64, lossPct int) *wire {
	w := &wire{t: t, latencyNs: 1_000_000, lossPct: lossPct, rng: rand.New(rand.NewPCG(seed, 7))}
	for i := 1; i <= n; i++ {
		s, err := New(hostConfig(i, seed))
		if err != nil {
			t.Fatalf("New(host %d) = %v", i, err)
		}
		t.Cleanup(s.Destroy)
		w.stacks = append(w.stacks, s)
	}
	return w
}

// collect takes every stack's sent frames onto the wire.
func (w *wire) collect() {
	for from, s := range w.stacks {
		for _, f := range s.Drain() {
			drop := w.lossPct > 0 && w.rng.IntN(100) < w.lossPct
			w.trace = append(w.trace, traced{atNs: w.nowNs, from: from, frame: f, dropped: drop})
			if drop {
				w.dropped++
				continue
			}
			for to, peer := range w.stacks {
				if to != from && (isBroadcast(f) || bytes.Equal(f[:6], macBytes(peer))) {
					w.seq++
					heap.Push(&w.flights, flight{atNs: w.nowNs + w.latencyNs, seq: w.seq, to: to, frame: f})
				}
			}
		}
	}
}

func isBroadcast(f []byte) bool { return f[0]&1 != 0 }

func macBytes(s *Stack) []byte {
	mac, _, _ := s.cfg.check()
	return mac
}

// step advances to the next event (frame arrival or timer) and runs it;
// it reports false when nothing is pending.
func (w *wire) step() bool {
	w.collect()
	next, ok := int64(0), false
	if len(w.flights) > 0 {
		next, ok = w.flights[0].atNs, true
	}
	for _, s := range w.stacks {
		if at, has := s.NextTimer(); has && (!ok || at < next) {
			next, ok = at, true
		}
	}
	if !ok {
		return false
	}
	w.nowNs = max(next, w.nowNs)
	for _, s := range w.stacks {
		s.Advance(w.nowNs)
		w.collect()
	}
	for len(w.flights) > 0 && w.flights[0].atNs <= w.nowNs {
		f := heap.Pop(&w.flights).(flight)
		w.stacks[f.to].Inject(f.frame)
		w.collect()
	}
	return true
}

// run calls app after every event until it returns true; it fails the test
// when nothing is pending or limitNs of virtual time pass first.
func (w *wire) run(limitNs int64, app func() bool) {
	w.t.Helper()
	for !app() {
		if w.nowNs > limitNs {
			w.t.Fatalf("run: not done after %d ns of virtual time", w.nowNs)
		}
		if !w.step() {
			// Let app act once more on a quiet wire before giving up.
			if app() {
				return
			}
			w.t.Fatalf("run: stalled at %d ns with nothing pending", w.nowNs)
		}
	}
}

// traceBytes encodes the trace: time, sender, drop flag, length, frame.
func (w *wire) traceBytes() []byte {
	var b []byte
	for _, tr := range w.trace {
		b = binary.BigEndian.AppendUint64(b, uint64(tr.atNs))
		b = append(b, byte(tr.from), b2byte(tr.dropped))
		b = binary.BigEndian.AppendUint32(b, uint32(len(tr.frame)))
		b = append(b, tr.frame...)
	}
	return b
}

func b2byte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
