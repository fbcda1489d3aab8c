package ulib

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Poll over descriptors. LECTURE: poll
//
// PollFds asks each descriptor's stream service what it is ready for
// (streamproto's Ready: the net server for a socket, the pipe server, the
// console), arming it (streamproto.ReadyArm): a service that finds
// nothing ready remembers the poller and posts PollBit when the
// descriptor becomes ready — Linux's poll_wait. PollFds returns as soon
// as one is ready; when none is, it blocks until PollBit (or a signal)
// comes or the timeout passes, and asks again. A service that did not arm
// (an older one, one over its bound of pollers) is asked again after a
// back-off from PollMinNs to PollMaxNs instead; even with every
// descriptor armed PollFds asks again every PollMaxNs, so a lost
// notification costs at most that. Both are deterministic.

// PollBit is the notification bit the stream services post to wake
// PollFds (streamproto.PollBit); the library reserves it.
const PollBit = streamproto.PollBit

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
		n, allArmed := 0, true
		for i := range fds {
			var armed bool
			fds[i].Revents, armed = p.revents(fds[i], timeoutNs != 0)
			if fds[i].Revents != 0 {
				n++
			} else if !armed && fds[i].Fd >= 0 {
				allArmed = false
			}
		}
		now := p.Sys.Now()
		if n > 0 || timeoutNs == 0 || (timeoutNs > 0 && now >= deadline) {
			return n, nil
		}
		d := int64(PollMaxNs)
		if !allArmed {
			d = backoff
			backoff = min(2*backoff, PollMaxNs)
		}
		if timeoutNs > 0 {
			d = min(d, deadline-now)
		}
		if err := p.pollWait(d); err != nil {
			return 0, err
		}
	}
}

// pollWait blocks for ns of virtual time or until PollBit comes, running
// the handlers of caught signals as they arrive.
func (p *Proc) pollWait(ns int64) error {
	deadline := p.Sys.Now() + ns
	if err := p.Sys.SetTimer(deadline, TimerBit); err != nil {
		return err
	}
	var m ipc.Message
	for {
		if err := p.Sys.Receive(ipc.KernelEndpoint, &m); err != nil {
			return err
		}
		bits := m.Word(0)
		p.take(bits)
		if bits&TimerBit != 0 || p.Sys.Now() >= deadline {
			return nil
		}
		if bits&PollBit != 0 {
			return p.Sys.SetTimer(0, TimerBit) // a later Sleep must not see this timer
		}
	}
}

// always are the bits poll reports whether asked for or not.
const always = linux.POLLERR | linux.POLLHUP | linux.POLLNVAL

// revents finds what pf's descriptor is ready for, arming it when arm is
// set and it is ready for nothing asked; armed reports whether its
// service did.
func (p *Proc) revents(pf PollFd, arm bool) (int16, bool) {
	if pf.Fd < 0 {
		return 0, false
	}
	f, err := p.file(pf.Fd)
	if err != nil {
		return linux.POLLNVAL, false
	}
	mask := pf.Events | always
	if f.kind != kindStream {
		return (linux.POLLIN | linux.POLLOUT) & mask, false // a file never makes anyone wait
	}
	var bits uint64
	armed := false
	if arm {
		bits, armed, err = p.stream(f.svc).ReadyAndArm(f.h, uint64(pf.Events)&(linux.POLLIN|linux.POLLOUT))
	} else {
		bits, err = p.stream(f.svc).Ready(f.h)
	}
	switch {
	case errors.Is(err, linux.ENOSYS):
		return (linux.POLLIN | linux.POLLOUT) & pf.Events, false // a service that does not know Ready
	case errors.Is(err, linux.EBADF):
		return linux.POLLNVAL, false
	case err != nil:
		return linux.POLLERR, false
	}
	return int16(bits) & mask, armed
}
