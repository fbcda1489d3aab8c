package kernel

import "github.com/mkos/mkos/ipc"

// window returns the bulk window of caller's call that server t may use:
// caller must be awaiting t's reply (its request was received by t).
// LECTURE: bulk-copy
func (k *Kernel) window(t *Task, caller ipc.Endpoint) (*ipc.Extra, ipc.Errno) {
	c, e := k.lookup(caller)
	if e != 0 {
		return nil, e
	}
	if c.state != stateAwaitReply || c.blockedOn != t {
		return nil, ipc.ErrPerm
	}
	if c.extra == nil {
		return nil, ipc.ErrFault
	}
	return c.extra, 0
}

// copyBulk checks and performs one bulk copy: off within the buffer, at most
// MaxBulk bytes. It returns the bytes copied.
func (k *Kernel) copyBulk(t *Task, dst, src []byte, off int) (int, ipc.Errno) {
	if len(dst) > ipc.MaxBulk {
		dst = dst[:ipc.MaxBulk]
	}
	if off < 0 || off > len(src) {
		return 0, ipc.ErrFault
	}
	n := copy(dst, src[off:])
	k.cpuOf(t).charge(k.cfg.Profile.copyNs(n))
	k.stats.BulkBytes += int64(n)
	return n, 0
}

// copyIn copies from caller's send window at off into dst.
func (k *Kernel) copyIn(t *Task, caller ipc.Endpoint, off int, dst []byte) (int, ipc.Errno) {
	if len(dst) > ipc.MaxBulk {
		return 0, ipc.ErrTooBig
	}
	x, e := k.window(t, caller)
	if e != 0 {
		return 0, e
	}
	return k.copyBulk(t, dst, x.Send, off)
}

// copyOut copies src into caller's receive window at off.
func (k *Kernel) copyOut(t *Task, caller ipc.Endpoint, off int, src []byte) (int, ipc.Errno) {
	if len(src) > ipc.MaxBulk {
		return 0, ipc.ErrTooBig
	}
	x, e := k.window(t, caller)
	if e != 0 {
		return 0, e
	}
	if off < 0 || off > len(x.Recv) {
		return 0, ipc.ErrFault
	}
	return k.copyBulk(t, x.Recv[off:], src, 0)
}
