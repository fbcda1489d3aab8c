package ulib

import (
	"errors"

	"github.com/mkos/mkos/ipc/linux"
)

// Poll over descriptors. LECTURE: poll
//
// PollFds asks each descriptor's stream service what it is ready for
// (streamproto's Ready: the net server for a socket, the pipe server, the
// console), without waiting, and returns as soon as one is ready. When
// none is, it sleeps in virtual time and asks again, backing off from
// PollMinNs to PollMaxNs, until the timeout. The servers keep no list of
// pollers to wake (a select(2) in the servers would be the next step);
// the back-off is deterministic, so a run is still reproducible, and
// bounded, so a poller learns of readiness at most PollMaxNs late.

// PollFd is one descriptor for PollFds: Fd (negative: ignored), the
// Events asked for (linux.POLLIN, POLLOUT) and the Revents found
// (POLLERR, POLLHUP and POLLNVAL whether asked for or not).
type PollFd struct {
	Fd      int
	Events  int16
	Revents int16
}

// The back-off of PollFds between two rounds of asking.
const (
	PollMinNs = 50_000     // 50 µs
	PollMaxNs = 10_000_000 // 10 ms
)

// PollFds waits until one of fds is ready for what it asks, or timeoutNs
// of virtual time has passed (0: do not wait; negative: no timeout), and
// returns how many are ready, with their Revents set.
func (p *Proc) PollFds(fds []PollFd, timeoutNs int64) (int, error) {
	deadline := p.Sys.Now() + timeoutNs
	backoff := int64(PollMinNs)
	for {
		n := 0
		for i := range fds {
			fds[i].Revents = p.revents(fds[i])
			if fds[i].Revents != 0 {
				n++
			}
		}
		now := p.Sys.Now()
		if n > 0 || timeoutNs == 0 || (timeoutNs > 0 && now >= deadline) {
			return n, nil
		}
		d := backoff
		if timeoutNs > 0 {
			d = min(d, deadline-now)
		}
		if err := p.Sleep(d); err != nil {
			return 0, err
		}
		backoff = min(2*backoff, PollMaxNs)
	}
}

// always are the bits poll reports whether asked for or not.
const always = linux.POLLERR | linux.POLLHUP | linux.POLLNVAL

// revents finds what pf's descriptor is ready for.
func (p *Proc) revents(pf PollFd) int16 {
	if pf.Fd < 0 {
		return 0
	}
	f, err := p.file(pf.Fd)
	if err != nil {
		return linux.POLLNVAL
	}
	mask := pf.Events | always
	if f.kind != kindStream {
		return (linux.POLLIN | linux.POLLOUT) & mask // a file never makes anyone wait
	}
	bits, err := p.stream(f.svc).Ready(f.h)
	switch {
	case errors.Is(err, linux.ENOSYS):
		return (linux.POLLIN | linux.POLLOUT) & pf.Events // a service that does not know Ready
	case errors.Is(err, linux.EBADF):
		return linux.POLLNVAL
	case err != nil:
		return linux.POLLERR
	}
	return int16(bits) & mask
}
