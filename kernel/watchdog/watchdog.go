package watchdog

import (
	"time"

	"github.com/mkos/mkos/kernel"
)

// Default is the limit boot and the commands use unless told otherwise: a
// few seconds of host time, far beyond any run of Go code between two
// system calls of a correct body.
const Default = 5 * time.Second

// ticks is how many ticks of the watchdog's clock make its limit. A stall
// is a beat unchanged for that many ticks, not for that much wall time:
// a host that was suspended (a laptop's lid closed) delivers one tick when
// it wakes, and the engine beats again before the next.
const ticks = 8

// Watchdog runs one kernel and watches it.
type Watchdog struct {
	k       *kernel.Kernel
	pulse   *kernel.Pulse // nil: no limit, Run is k.Run
	limit   time.Duration
	outcome // how the run ended (outcome.go)
}

// New returns a watchdog for k with limit (0 or less: none). It takes k's
// pulse at once, so call it before Run, and before code that marks host
// waits asks for the pulse.
func New(k *kernel.Kernel, limit time.Duration) *Watchdog {
	w := &Watchdog{k: k, limit: limit}
	if limit > 0 {
		w.pulse = k.Pulse()
	}
	return w
}

// Pulse returns the pulse the watchdog watches, nil without a limit: code
// that waits on the host marks it (Pulse.HostWait).
func (w *Watchdog) Pulse() *kernel.Pulse { return w.pulse }

// Run runs the kernel to its end and returns Run's result, unless a task
// runs on the host for the limit without a system call: then it returns
// the *kernel.Stall at once and leaves the run, abandoned, to its
// goroutine (Abandoned, Wait).
func (w *Watchdog) Run() error {
	if w.pulse == nil {
		return w.k.Run()
	}
	w.done = make(chan error, 1)
	go func() { w.done <- w.k.Run() }()
	tick := time.NewTicker(max(w.limit/ticks, time.Millisecond))
	defer tick.Stop()
	seen, _ := w.pulse.Beat()
	since, still := time.Now(), 0
	for {
		select {
		case err := <-w.done:
			w.ended, w.err = true, err
			return err
		case now := <-tick.C:
			b, waiting := w.pulse.Beat()
			if b != seen || waiting {
				seen, since, still = b, now, 0
				continue
			}
			if still++; still < ticks {
				continue
			}
			if s, ok := w.pulse.Trip(b, int64(now.Sub(since))); ok {
				w.stall = s
				return s
			}
		}
	}
}
