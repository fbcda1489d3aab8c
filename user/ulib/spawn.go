package ulib

import (
	"errors"

	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/pmproto"
)

// Spawn starts the program at path as a child and returns its pid. argv
// is the child's whole argument vector (argv[0] its name; nil gives
// [path]); attr may be nil.
func (p *Proc) Spawn(path string, argv, env []string, attr *pmproto.SpawnAttr) (int, error) {
	c, err := p.client()
	if err != nil {
		return 0, err
	}
	return c.Spawn(path, argv, env, attr)
}

// Wait waits for any child to end and returns its pid and wait status.
func (p *Proc) Wait() (int, unix.WaitStatus, error) { return p.Waitpid(-1, 0) }

// maxRestarts bounds how often Waitpid waits again after the process
// manager restarted under it.
const maxRestarts = 3

// Waitpid waits as waitpid(2) does: pid > 0 that child, -1 any child, 0
// any child in the caller's group, < -1 any child in group -pid; options
// 0 or pmproto.WNOHANG (then pid 0 means none has ended yet). Caught
// signals that arrive meanwhile run their handlers, and the wait goes on;
// a restart of pm is waited out the same way.
func (p *Proc) Waitpid(pid, options int) (int, unix.WaitStatus, error) {
	c, err := p.client()
	if err != nil {
		return 0, 0, err
	}
	for restarts := 0; ; {
		got, ws, err := c.Wait(pid, options)
		switch {
		case errors.Is(err, unix.EINTR):
			p.Poll()
			continue
		case errors.Is(err, ipc.ErrServiceDied) && restarts < maxRestarts:
			restarts++
			continue
		}
		p.Poll()
		return got, ws, err
	}
}

// Exit ends the process with code: pm records the status for the parent,
// then the task ends. It does not return.
func (p *Proc) Exit(code int) {
	if _, wrapped := p.Sys.(pmproto.Wrapped); !wrapped {
		if c, err := p.client(); err == nil {
			_ = c.Exit(code) // ending anyway: nobody to tell of a failure
		}
	}
	p.Sys.Exit(code)
}

// Kill sends sig to pid as kill(2) does: pid > 0 a process, 0 the
// caller's group, -1 everyone but init and the caller, < -1 group -pid.
// Signal 0 only checks that the target exists.
func (p *Proc) Kill(pid int, sig unix.Signal) error {
	c, err := p.client()
	if err != nil {
		return err
	}
	if err := c.Kill(pid, sig); err != nil {
		return err
	}
	p.Poll() // a signal to oneself is handled before Kill returns, as on Linux
	return nil
}
