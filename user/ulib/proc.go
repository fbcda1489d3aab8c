package ulib

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/pmproto"
)

// Proc is a program's handle on its process: its task's system calls and
// what the library keeps for it. One per task; never share it with
// another task.
type Proc struct {
	// Sys is the task's system-call surface.
	Sys ipc.Sys

	pm       pmproto.Client
	dialed   bool
	handlers [pmproto.NSig]Handler
	other    uint64 // notification bits that are the program's own
	files    *files // the descriptor table; nil until first used (file.go)

	// InterruptReads makes a read of a stream that a caught signal
	// interrupts fail with EINTR, after the handler ran, instead of
	// starting again: what an interactive shell wants at ^C.
	InterruptReads bool
}

// New returns the Proc of the task whose Sys is sys.
func New(sys ipc.Sys) *Proc { return &Proc{Sys: sys} }

// client returns the stubs of the process manager, looking it up once.
func (p *Proc) client() (pmproto.Client, error) {
	if !p.dialed {
		c, err := pmproto.Dial(p.Sys)
		if err != nil {
			return c, err
		}
		p.pm, p.dialed = c, true
	}
	return p.pm, nil
}

// ids returns the caller's pid, parent and group.
func (p *Proc) ids() (pmproto.Ids, error) {
	c, err := p.client()
	if err != nil {
		return pmproto.Ids{}, err
	}
	return c.Getpid()
}

// Getpid returns the caller's pid.
func (p *Proc) Getpid() (int, error) {
	ids, err := p.ids()
	return ids.Pid, err
}

// Getppid returns the caller's parent's pid (0: none, it was adopted).
func (p *Proc) Getppid() (int, error) {
	ids, err := p.ids()
	return ids.Ppid, err
}

// Getpgid returns the process group of pid (0: the caller).
func (p *Proc) Getpgid(pid int) (int, error) {
	c, err := p.client()
	if err != nil {
		return 0, err
	}
	return c.Getpgid(pid)
}

// Setpgid moves process pid (0: the caller) to group pgid (0: a group of
// its own). A shell puts each job in its own group this way, or at spawn
// with pmproto.SpawnSetPgroup.
func (p *Proc) Setpgid(pid, pgid int) error {
	c, err := p.client()
	if err != nil {
		return err
	}
	return c.Setpgid(pid, pgid)
}

// Ps returns the process table.
func (p *Proc) Ps() ([]pmproto.ProcInfo, error) {
	c, err := p.client()
	if err != nil {
		return nil, err
	}
	return c.Ps()
}

// Fds returns the descriptors the process inherited at spawn.
func (p *Proc) Fds() ([]int, error) {
	c, err := p.client()
	if err != nil {
		return nil, err
	}
	return c.Fds()
}
