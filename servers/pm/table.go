package pm

import (
	"fmt"
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// state is where a process is in its life.
type state uint8

const (
	// embryo: spawned, but pm does not know its task yet (in the kernel,
	// the child may run before the spawn that creates it returns).
	embryo state = iota
	// alive: bound to a live task, as far as pm knows.
	alive
	// zombie: ended; Status holds how, until the parent collects it.
	zombie
)

// proc is one process. The fields are exported for the Store's encoding
// only; nothing outside pm sees a proc.
type proc struct {
	Pid, Ppid, Pgid int
	Task            ipc.Endpoint // 0 while an embryo
	State           state
	Status          linux.WaitStatus
	Name, Path      string
	StartNs         int64
	Caught, Ignored uint64 // signal bits (pmproto.SignalBit)
	Token           uint64 // proves the spawned task is this process (Attach)
	Fds             []int
	UID, GID        uint32       // who it acts for (cred.go)
	CPUNs           int64        // a zombie's CPU time, user and system, read at its exit
	Stopped         bool         // stopped by a signal until SIGCONT
	StopSig         linux.Signal // the stop not yet reported to a WUNTRACED wait; 0 if none
}

// ids returns the process's pid, parent and group.
func (p *proc) ids() pmproto.Ids { return pmproto.Ids{Pid: p.Pid, Ppid: p.Ppid, Pgid: p.Pgid} }

// disposition returns what p does with sig.
func (p *proc) disposition(sig linux.Signal) pmproto.Disposition {
	switch bit := pmproto.SignalBit(sig); {
	case p.Caught&bit != 0:
		return pmproto.SigCatch
	case p.Ignored&bit != 0:
		return pmproto.SigIgnore
	}
	return pmproto.SigDefault
}

// table is the process table: processes by pid, the pids in order (every
// walk over the table goes in pid order, so runs are deterministic), and
// the pid of each bound task.
type table struct {
	procs map[int]*proc
	pids  []int // sorted
	tasks map[ipc.Endpoint]int
	next  int // the next pid to try
	limit int // at most this many processes, zombies included
}

func newTable(limit int) table {
	return table{procs: map[int]*proc{}, tasks: map[ipc.Endpoint]int{}, next: 1, limit: limit}
}

func (t *table) get(pid int) *proc { return t.procs[pid] }

// byTask returns the process that task runs, or nil.
func (t *table) byTask(task ipc.Endpoint) *proc {
	pid, ok := t.tasks[task]
	if !ok {
		return nil
	}
	return t.procs[pid]
}

func (t *table) full() bool { return len(t.procs) >= t.limit }

// alloc returns the next free pid: pids count up from 1 and wrap around to
// 2 after pmproto.MaxPid. Preconditions: !t.full() and limit < MaxPid.
func (t *table) alloc() int {
	for {
		pid := t.next
		t.next++
		if t.next > pmproto.MaxPid {
			t.next = 2
		}
		if t.procs[pid] == nil {
			return pid
		}
	}
}

func (t *table) add(p *proc) {
	t.procs[p.Pid] = p
	i, _ := slices.BinarySearch(t.pids, p.Pid)
	t.pids = slices.Insert(t.pids, i, p.Pid)
	if p.Task != 0 {
		t.tasks[p.Task] = p.Pid
	}
}

func (t *table) remove(p *proc) {
	delete(t.procs, p.Pid)
	if i, ok := slices.BinarySearch(t.pids, p.Pid); ok {
		t.pids = slices.Delete(t.pids, i, i+1)
	}
	if t.tasks[p.Task] == p.Pid {
		delete(t.tasks, p.Task)
	}
}

// bind records that task runs p.
func (t *table) bind(p *proc, task ipc.Endpoint) {
	p.Task = task
	t.tasks[task] = p.Pid
	if p.State == embryo {
		p.State = alive
	}
}

// list returns the processes for which keep is true, in pid order. The
// result is a snapshot: the caller may change the table while it walks it.
func (t *table) list(keep func(*proc) bool) []*proc {
	var out []*proc
	for _, pid := range t.pids {
		if p := t.procs[pid]; keep(p) {
			out = append(out, p)
		}
	}
	return out
}

// children returns the children of pid.
func (t *table) children(pid int) []*proc {
	return t.list(func(p *proc) bool { return p.Ppid == pid })
}

// groupExists reports whether a live process is in group pgid.
func (t *table) groupExists(pgid int) bool {
	for _, p := range t.procs {
		if p.Pgid == pgid && p.State != zombie {
			return true
		}
	}
	return false
}

// adoptedName is the name of a task adopted without one.
func adoptedName(task ipc.Endpoint) string { return fmt.Sprintf("task %v", task) }
