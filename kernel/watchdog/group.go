package watchdog

import (
	"time"

	"github.com/mkos/mkos/kernel"
)

// GroupWatchdog runs a kernel.Group and watches its kernels' pulses. Only
// one kernel of a group runs at a time; the others wait for their turns
// at their gates, which their pulses show as waits. So the run makes
// progress while some kernel's pulse beats or the running one waits on
// the host; every pulse still for the limit, with a kernel that does not
// wait, is a stall: that kernel's body spins. Its pulse is tripped, and
// Run returns its Stall.
type GroupWatchdog struct {
	g      *kernel.Group
	pulses []*kernel.Pulse // one per kernel, in the group's order
	limit  time.Duration
	outcome
}

// NewGroup returns a watchdog for g with limit (0 or less: none), over
// the kernels' pulses (kernel.Kernel.Pulse, taken before Run; nil pulses
// are not watched: with none, Run is g.Run).
func NewGroup(g *kernel.Group, pulses []*kernel.Pulse, limit time.Duration) *GroupWatchdog {
	w := &GroupWatchdog{g: g, limit: limit}
	for _, p := range pulses {
		if p != nil {
			w.pulses = append(w.pulses, p)
		}
	}
	return w
}

// Run runs the group to its end and returns Group.Run's result, unless
// no kernel beats for the limit: then it returns the *kernel.Stall at
// once and leaves the run, abandoned, to its goroutine (Abandoned, Wait).
func (w *GroupWatchdog) Run() error {
	if w.limit <= 0 || len(w.pulses) == 0 {
		return w.g.Run()
	}
	w.done = make(chan error, 1)
	go func() { w.done <- w.g.Run() }()
	tick := time.NewTicker(max(w.limit/ticks, time.Millisecond))
	defer tick.Stop()
	seen := make([]uint64, len(w.pulses))
	for i, p := range w.pulses {
		seen[i], _ = p.Beat()
	}
	since, still := time.Now(), 0
	for {
		select {
		case err := <-w.done:
			w.ended, w.err = true, err
			return err
		case now := <-tick.C:
			spinner, moved := -1, false
			for i, p := range w.pulses {
				b, waiting := p.Beat()
				if b != seen[i] {
					seen[i], moved = b, true
				}
				if !waiting {
					spinner = i
				}
			}
			if moved || spinner < 0 {
				since, still = now, 0
				continue
			}
			if still++; still < ticks {
				continue
			}
			if s, ok := w.pulses[spinner].Trip(seen[spinner], int64(now.Sub(since))); ok {
				w.stall = s
				return s
			}
		}
	}
}
