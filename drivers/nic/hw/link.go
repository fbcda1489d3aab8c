package hw

import (
	"fmt"
	"math/rand/v2"
)

// DefaultLatencyNs is a link's one-way latency when none is given: a
// frame reaches the other card this long after its last bit left the
// sender (propagation and the switch's forwarding).
const DefaultLatencyNs = 10_000

// Link is what a link does to the frames that cross it: how late they
// arrive and which it loses, duplicates or delays. The probabilities are
// from 0 to 1; every draw comes from the switch's seeded generator.
type Link struct {
	// LatencyNs is the one-way latency (DefaultLatencyNs when zero; at
	// least the group's lookahead, which otherwise raises it).
	LatencyNs int64
	// Loss is the probability that a frame is lost.
	Loss float64
	// Dup is the probability that a frame arrives twice (the copy 1 ns
	// after the first).
	Dup float64
	// Reorder is the probability that a frame is held ReorderNs longer,
	// so that frames sent after it can overtake it.
	Reorder   float64
	ReorderNs int64
	// BurstProb is the probability that a loss burst starts at a frame:
	// that frame and the next BurstLen-1 frames on the link are lost.
	BurstProb float64
	BurstLen  int
	// SpeedBps, when set, is the speed of the switch's port toward the
	// receiving card: the switch stores and forwards, sending a frame out
	// after the frames queued before it on that port, each taking its
	// serialization time, and drops a frame that finds QueueFrames
	// waiting (drop-tail): a bottleneck where traffic converges. Zero
	// sends a frame on as soon as it arrives, with no contention.
	SpeedBps int64
	// QueueFrames bounds a port's queue (DefaultQueueFrames when zero).
	QueueFrames int
}

// DefaultQueueFrames is a switch port's queue when a link's speed is set
// and its queue is not.
const DefaultQueueFrames = 64

// Check reports parameters that are not a link.
func (l Link) Check() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"loss", l.Loss}, {"dup", l.Dup}, {"reorder", l.Reorder}, {"burst", l.BurstProb}} {
		if !(p.v >= 0 && p.v <= 1) {
			return fmt.Errorf("link: %s probability %v is not from 0 to 1", p.name, p.v)
		}
	}
	switch {
	case l.LatencyNs < 0:
		return fmt.Errorf("link: latency %d ns is negative", l.LatencyNs)
	case l.ReorderNs < 0:
		return fmt.Errorf("link: reorder delay %d ns is negative", l.ReorderNs)
	case l.BurstLen < 0:
		return fmt.Errorf("link: burst length %d is negative", l.BurstLen)
	case l.BurstProb > 0 && l.BurstLen == 0:
		return fmt.Errorf("link: a burst probability needs a burst length")
	case l.SpeedBps != 0 && l.SpeedBps < 1000:
		return fmt.Errorf("link: speed %d bit/s is below 1000", l.SpeedBps)
	case l.QueueFrames < 0:
		return fmt.Errorf("link: queue of %d frames is negative", l.QueueFrames)
	}
	return nil
}

func (l Link) latencyNs() int64 {
	if l.LatencyNs == 0 {
		return DefaultLatencyNs
	}
	return l.LatencyNs
}

// fate is what the link does to one frame.
type fate struct {
	drop      dropCause // dropNone: delivered
	atNs      int64     // arrival time
	copies    int       // 1, or 2 when duplicated
	reordered bool      // held ReorderNs longer
}

// dropCause says why a frame was lost.
type dropCause int

const (
	dropNone dropCause = iota
	dropLoss
	dropBurst
)

// linkState is a link's run-time state: the rest of a loss burst, and
// the switch port's queue toward the card — when each queued frame's last
// bit leaves, in order.
type linkState struct {
	burstLeft int
	queue     []int64
}

// enqueue puts a frame of size bytes that reached the switch at now on
// the port's queue and returns when its last bit leaves; ok is false when
// the queue is full. Without a port speed the frame leaves at once.
func (l *Link) enqueue(st *linkState, now int64, size int) (leaveNs int64, ok bool) {
	if l.SpeedBps == 0 {
		return now, true
	}
	for len(st.queue) > 0 && st.queue[0] <= now {
		st.queue = st.queue[1:]
	}
	limit := l.QueueFrames
	if limit == 0 {
		limit = DefaultQueueFrames
	}
	if len(st.queue) >= limit {
		return 0, false
	}
	start := now
	if n := len(st.queue); n > 0 {
		start = max(start, st.queue[n-1])
	}
	leaveNs = start + wireTimeNs(size, l.SpeedBps)
	st.queue = append(st.queue, leaveNs)
	return leaveNs, true
}

// decide draws the fate of a frame put on the wire at now. It draws only
// for the probabilities that are not zero, in a fixed order, so the same
// seed and parameters give the same fates.
func (l *Link) decide(st *linkState, rng *rand.Rand, now int64) fate {
	f := fate{atNs: now + l.latencyNs(), copies: 1}
	switch {
	case st.burstLeft > 0:
		st.burstLeft--
		f.drop = dropBurst
		return f
	case l.BurstProb > 0 && rng.Float64() < l.BurstProb:
		st.burstLeft = l.BurstLen - 1
		f.drop = dropBurst
		return f
	case l.Loss > 0 && rng.Float64() < l.Loss:
		f.drop = dropLoss
		return f
	}
	if l.Reorder > 0 && rng.Float64() < l.Reorder {
		f.atNs += l.ReorderNs
		f.reordered = true
	}
	if l.Dup > 0 && rng.Float64() < l.Dup {
		f.copies = 2
	}
	return f
}
