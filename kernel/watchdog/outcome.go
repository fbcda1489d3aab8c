package watchdog

import "github.com/mkos/mkos/kernel"

// outcome is how a watched run ended, shared by Watchdog (one kernel)
// and GroupWatchdog (a group): the run's result when it ran on its own
// goroutine, and the stall that stopped watching it.
type outcome struct {
	done  chan error // the run's result, when it ran on its own goroutine
	stall *kernel.Stall
	ended bool  // done was received from
	err   error // what was received
}

// Stall returns the stall that stopped the run, or nil.
func (w *outcome) Stall() *kernel.Stall { return w.stall }

// Abandoned reports whether Run returned a stall while the run has not
// ended: nothing may touch its kernels then.
func (w *outcome) Abandoned() bool {
	if w.stall == nil || w.ended {
		return false
	}
	select {
	case w.err = <-w.done:
		w.ended = true
		return false
	default:
		return true
	}
}

// Wait waits for an abandoned run to end — it ends once the spinning body
// gives its CPU back — and returns the run's result then. It returns at
// once when the run was not abandoned.
func (w *outcome) Wait() error {
	if w.stall == nil || w.ended {
		return w.err
	}
	w.err, w.ended = <-w.done, true
	return w.err
}
