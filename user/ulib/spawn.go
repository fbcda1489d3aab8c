package ulib

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// Spawn starts the program at path as a child and returns its pid. argv
// is the child's whole argument vector (argv[0] its name; nil gives
// [path]); attr may be nil. The child inherits the working directory and
// descriptors 0, 1 and 2 — unless attr.Fds is set: then pm passes those
// ints on as they are, and the child inherits nothing through the library.
func (p *Proc) Spawn(path string, argv, env []string, attr *pmproto.SpawnAttr) (int, error) {
	if attr != nil && attr.Fds != nil {
		c, err := p.client()
		if err != nil {
			return 0, err
		}
		return c.Spawn(path, argv, env, attr)
	}
	return p.SpawnFiles(path, argv, env, []int{0, 1, 2}, attr)
}

// SpawnFiles is Spawn with the child's descriptors chosen: the child's
// descriptor i is the caller's files[i], and -1 (or a descriptor that is
// not open, among 0–2) leaves it closed. See inherit.go for how they
// travel. attr.Fds is ignored.
func (p *Proc) SpawnFiles(path string, argv, env []string, files []int, attr *pmproto.SpawnAttr) (int, error) {
	c, err := p.client()
	if err != nil {
		return 0, err
	}
	var a pmproto.SpawnAttr
	if attr != nil {
		a = *attr
	}
	files = p.openOnly(files)
	fds, undo, err := p.passFiles(files)
	if err != nil {
		return 0, err
	}
	a.Fds = fds
	pid, err := c.Spawn(path, argv, env, &a)
	if err != nil {
		undo()
	}
	return pid, err
}

// openOnly replaces the descriptors among 0–2 that are not open by -1:
// a program started with no standard error starts its children so too.
func (p *Proc) openOnly(files []int) []int {
	out := append([]int(nil), files...)
	for i, fd := range out {
		if _, err := p.file(fd); err != nil && fd >= 0 && fd <= 2 {
			out[i] = -1
		}
	}
	return out
}

// Wait waits for any child to end and returns its pid and wait status.
func (p *Proc) Wait() (int, linux.WaitStatus, error) { return p.Waitpid(-1, 0) }

// maxRestarts bounds how often Waitpid waits again after the process
// manager restarted under it.
const maxRestarts = 3

// Waitpid waits as waitpid(2) does: pid > 0 that child, -1 any child, 0
// any child in the caller's group, < -1 any child in group -pid; options
// 0 or pmproto.WNOHANG (then pid 0 means none has ended yet). Caught
// signals that arrive meanwhile run their handlers, and the wait goes on;
// a restart of pm is waited out the same way.
func (p *Proc) Waitpid(pid, options int) (int, linux.WaitStatus, error) {
	got, ws, _, err := p.WaitpidTime(pid, options)
	return got, ws, err
}

// WaitpidTime is Waitpid that also returns the child's CPU time, user
// and system, in virtual ns.
func (p *Proc) WaitpidTime(pid, options int) (int, linux.WaitStatus, int64, error) {
	c, err := p.client()
	if err != nil {
		return 0, 0, 0, err
	}
	for restarts := 0; ; {
		got, ws, cpuNs, err := c.WaitTime(pid, options)
		switch {
		case errors.Is(err, linux.EINTR):
			p.Poll()
			continue
		case errors.Is(err, ipc.ErrServiceDied) && restarts < maxRestarts:
			restarts++
			continue
		}
		p.Poll()
		return got, ws, cpuNs, err
	}
}

// Exit closes every descriptor and ends the process with code: pm records
// the status for the parent, then the task ends. It does not return.
func (p *Proc) Exit(code int) {
	p.CloseAll()
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
func (p *Proc) Kill(pid int, sig linux.Signal) error {
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
