package kernel

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Device is simulated hardware attached to the kernel: a disk, a UART, a
// clock chip. The model is not the driver — the driver is a server that
// programs the device through system calls (DevStart) and learns of
// completions by interrupt (a notification). The kernel calls a device only
// from its own code, at virtual times it chooses, so a device model needs
// no locks and no host time. LECTURE: devices
type Device interface {
	// Name is the name drivers look the device up by.
	Name() string
	// Start begins req at virtual time now and returns when it will
	// complete, or an errno that rejects it.
	Start(now int64, req *ipc.DevRequest) (doneAt int64, e ipc.Errno)
	// Finish completes req at virtual time now: it moves the data (into or
	// out of req.Buf) and returns the result.
	Finish(now int64, req *ipc.DevRequest) ipc.DevCompletion
}

// device is an attached Device and its state.
type device struct {
	id      ipc.DevID
	dev     Device
	svc     *service // the driver's service: interrupts go to it
	bits    uint64   // the notification bits of its interrupt
	busy    bool
	req     ipc.DevRequest // the operation in flight
	done    []ipc.DevCompletion
	started int64 // operations started, for statistics
}

// maxCompletions bounds the completions a driver has not read yet.
const maxCompletions = 1024

// Attach connects dev to the kernel. Its interrupts are notified, with
// bits, to the named service: to its live instance in user space or to its
// kernel thread when the service is placed in the kernel. Because the
// interrupt is routed by service, a restarted driver gets it with no change.
func (k *Kernel) Attach(dev Device, service string, bits uint64) (ipc.DevID, error) {
	if bits == 0 {
		return 0, fmt.Errorf("attach %s: no interrupt bits", dev.Name())
	}
	for _, d := range k.devices {
		if d.dev.Name() == dev.Name() {
			return 0, fmt.Errorf("attach %s: a device has that name", dev.Name())
		}
	}
	s, e := k.bus.lookupName(service, true)
	if e != 0 {
		return 0, fmt.Errorf("attach %s to %q: %w", dev.Name(), service, e)
	}
	d := &device{id: ipc.DevID(len(k.devices)), dev: dev, svc: s, bits: bits}
	k.devices = append(k.devices, d)
	return d.id, nil
}

// DevicesOf returns the names of the devices attached to service, in
// attach order: what its driver's privilege record may program.
func (k *Kernel) DevicesOf(service string) []string {
	var out []string
	for _, d := range k.devices {
		if d.svc.name == service {
			out = append(out, d.dev.Name())
		}
	}
	return out
}

// deviceFor returns the device the task may program: t must be an instance
// of the device's service, or inKernel must be true.
func (k *Kernel) deviceFor(t *Task, id ipc.DevID, inKernel bool) (*device, ipc.Errno) {
	if int(id) >= len(k.devices) {
		return nil, linux.ENODEV
	}
	d := k.devices[id]
	if inKernel {
		return d, 0
	}
	for _, s := range t.services {
		if s == d.svc {
			return d, 0
		}
	}
	return nil, ipc.ErrPerm
}

// lookupDevice finds a device by name for t.
func (k *Kernel) lookupDevice(t *Task, name string, inKernel bool) (ipc.DevID, ipc.Errno) {
	for _, d := range k.devices {
		if d.dev.Name() == name {
			_, e := k.deviceFor(t, d.id, inKernel)
			return d.id, e
		}
	}
	return 0, linux.ENODEV
}

// devStart starts req on device d at time now.
func (k *Kernel) devStart(d *device, req *ipc.DevRequest, now int64) ipc.Errno {
	if d.busy {
		return linux.EBUSY
	}
	if req == nil {
		return ipc.ErrInvalid
	}
	at, e := d.dev.Start(now, req)
	if e != 0 {
		return e
	}
	d.busy, d.req = true, *req
	d.started++
	k.seq++
	k.pushEvent(event{at: max(at, now), seq: k.seq, kind: evDevice, dev: d})
	return 0
}

// devFinish completes d's operation and interrupts its driver.
func (k *Kernel) devFinish(d *device, now int64) {
	c := d.dev.Finish(now, &d.req)
	c.Tag, c.Op, c.DoneNs = d.req.Tag, d.req.Op, now
	d.busy, d.req = false, ipc.DevRequest{}
	if len(d.done) == maxCompletions {
		d.done = d.done[1:]
	}
	d.done = append(d.done, c)
	k.interrupt(d, now)
}

// interrupt notifies the device's driver: its kernel thread when placed in
// the kernel, else its first live instance. With no instance, the
// notification waits in the device until one registers (pending).
func (k *Kernel) interrupt(d *device, now int64) {
	if k.trace != nil {
		k.emit(Event{Kind: EvInterrupt, T: now, Svc: d.svc.name, Name: d.dev.Name(), Word: d.bits})
	}
	k.notifyService(d.svc, d.bits, now)
}

// devDone pops d's oldest completion.
func (k *Kernel) devDone(d *device) (ipc.DevCompletion, bool) {
	if len(d.done) == 0 {
		return ipc.DevCompletion{}, false
	}
	c := d.done[0]
	d.done = d.done[1:]
	return c, true
}
