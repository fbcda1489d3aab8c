package kernel

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Inputs from outside the kernel. LECTURE: external-events
//
// A network card receives frames nobody asked for; another machine
// answers at a time of its own. The kernel reads no host clock and runs
// no goroutine, so such an input must enter it as an event like a timer:
// Schedule queues a callback at a virtual time, ordered with the kernel's
// other events by (time, sequence), and the engine runs it between two
// steps. The callback runs in kernel context: it may change a device
// model, raise a device's interrupt (Interrupt) or notify a service
// (NotifyService). Several kernels on one timeline exchange their inputs
// this way through a Group (group.go).

// Schedule makes the kernel call f(now) at virtual time at, as an event
// ordered with its other events by (time, sequence). f runs in kernel
// context between two steps: it may call Interrupt and NotifyService and
// change device models. Call it before Run, from kernel context of the
// same kernel (a Device method, another Schedule callback), or through
// Group.Post.
func (k *Kernel) Schedule(at int64, f func(now int64)) {
	if f == nil {
		return
	}
	k.seq++
	k.pushEvent(event{at: max(at, 0), seq: k.seq, kind: evFunc, fn: f})
}

// Interrupt raises device id's interrupt at now, in kernel context: its
// driver is notified as on a completion, for devices that receive data
// unasked (a NIC). The completion queue is not touched. An unknown device
// is ignored.
func (k *Kernel) Interrupt(id ipc.DevID, now int64) {
	if int(id) >= len(k.devices) {
		return
	}
	k.interrupt(k.devices[id], now)
}

// NotifyService notifies the named service — its live instance, or its
// kernel thread — with bits, in kernel context. With no instance the bits
// wait for the next one to register.
func (k *Kernel) NotifyService(name string, bits uint64, now int64) error {
	s, e := k.bus.lookupName(name, false)
	if e != 0 {
		return fmt.Errorf("notify %q: %w", name, e)
	}
	if bits == 0 {
		return fmt.Errorf("notify %q: %w", name, linux.EINVAL)
	}
	k.notifyService(s, bits, now)
	return nil
}

// NextAt is the virtual time of the kernel's next step — the earliest busy
// CPU's clock or the next event, whichever is first — or -1 when it has
// nothing to do.
func (k *Kernel) NextAt() int64 {
	at := int64(-1)
	for _, c := range k.cpus {
		if c.cur != nil && (at < 0 || c.now < at) {
			at = c.now
		}
	}
	if ev := k.events.peek(); ev != nil && (at < 0 || ev.at < at) {
		at = ev.at
	}
	return at
}

// stepTime is a lower bound of the virtual time of what the kernel does
// now, in kernel context: the latest event fired or CPU clock.
func (k *Kernel) stepTime() int64 { return max(k.stepAt, k.Now()) }
