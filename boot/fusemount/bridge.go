package fusemount

import (
	"errors"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// errStopped is the error of a request made after the system stopped.
var errStopped = errors.New("fusemount: the system is not running")

// bridge carries requests from host goroutines into a task of the
// simulated system and their results back.
type bridge struct {
	sys     *boot.System
	ops     chan func(fsproto.Client)
	quit    chan struct{} // closed by stop: the bridge task ends
	stopped chan struct{} // closed when the system's run is over
}

// newBridge returns the bridge of sys; start its task with body.
func newBridge(sys *boot.System) *bridge {
	return &bridge{sys: sys, ops: make(chan func(fsproto.Client)),
		quit: make(chan struct{}), stopped: make(chan struct{})}
}

// body is the bridge task: it takes a request, runs it, and waits on the
// host for the next, until stop. It syncs the file system at the end.
func (b *bridge) body(s ipc.Sys) {
	c, err := fsproto.Dial(s)
	if err != nil {
		return
	}
	for {
		var op func(fsproto.Client)
		b.sys.OnHost(func() {
			select {
			case op = <-b.ops:
			case <-b.quit:
			}
		})
		if op == nil {
			_ = c.Sync()
			return
		}
		op(c)
	}
}

// do runs op in the bridge task and returns when it is done, or returns
// errStopped when the system is not running.
func (b *bridge) do(op func(c fsproto.Client) error) error {
	done := make(chan error, 1)
	select {
	case b.ops <- func(c fsproto.Client) { done <- op(c) }:
	case <-b.stopped:
		return errStopped
	}
	select {
	case err := <-done:
		return err
	case <-b.stopped:
		return errStopped
	}
}

// stop ends the bridge task: the run is over once it has.
func (b *bridge) stop() { close(b.quit) }

// errnoOf is err as a Linux errno: EIO when it is none.
func errnoOf(err error) linux.Errno {
	if err == nil {
		return 0
	}
	var e ipc.Errno
	if errors.As(err, &e) {
		return e
	}
	return linux.EIO
}
