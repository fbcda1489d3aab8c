package kernel

import "github.com/mkos/mkos/ipc"

// Death notices for servers. LECTURE: exit-notices
//
// A server that keeps state per client — open files, pipe ends, address
// spaces — must learn when a client dies however it dies, or that state
// leaks until the server's tables are full for everyone. pm does not see
// every death (servers/pm/doc.go), so the kernel tells:
//
//  1. A service opts in: an instance calls WatchExits (KExits), or a server
//     placed in the kernel implements ipc.ExitWatcher.
//  2. At a task's death (task_exit.go) the kernel appends a notice to the
//     queue of each watching service the task ever sent a request to (or,
//     the pager, faulted to: Task.called), and notifies NotifyDeath to its
//     kernel thread or its first live instance; with no instance, the bit
//     waits for the next one to register, as an interrupt does. A server
//     keeps no state for a task that never reached it, so it is not woken
//     for that task's death. A queue holds at most maxServiceDeaths
//     notices: beyond, a notice is dropped and the queue marked lost.
//  3. The server reads the notices with NextDeath; after the last, if any
//     were dropped, one with Lost set: the server then asks the kernel
//     about each client it holds state for (ipc.Alive).
//  4. ipc.Serve, and the kernel thread of a server placed in the kernel,
//     do step 3 for a server that implements ipc.ExitWatcher, calling its
//     Exited for each notice.
//
// The supervisor's queue (task_exit.go) is separate: it hears of every
// death.

// maxServiceDeaths bounds the notices waiting for one service.
const maxServiceDeaths = 256

// watch makes service s hear of the deaths of the tasks that call it.
func (k *Kernel) watch(s *service) {
	if !s.exits {
		s.exits = true
		k.watchers = append(k.watchers, s)
	}
}

// tellWatchers queues a notice of t's death for every watching service t
// has called and notifies it.
func (k *Kernel) tellWatchers(t *Task, now int64) {
	for _, s := range k.watchers {
		if t.called&serviceBit(s.id) == 0 {
			continue
		}
		if len(s.deaths) == maxServiceDeaths {
			s.deathsLost = true
		} else {
			s.deaths = append(s.deaths, ipc.Death{Task: t.ep, Name: t.name, Cause: t.cause, Code: t.exitCode, TimeNs: now})
		}
		k.notifyService(s, ipc.NotifyDeath, now)
	}
}

// serviceBit is service id's bit in Task.called: ids 64 apart share one,
// which only costs a watcher a notice it did not need.
func serviceBit(id ipc.ServiceID) uint64 { return 1 << (id & 63) }

// notifyService notifies service s: its kernel thread when placed in the
// kernel, else its first live instance; with none, the bits wait for the
// next instance to register.
func (k *Kernel) notifyService(s *service, bits uint64, now int64) {
	if t := s.kthread; t != nil {
		k.notify(t, bits, now)
		return
	}
	for _, t := range s.instances {
		k.notify(t, bits, now)
		return
	}
	s.pendingIRQ |= bits
}

// notifyServiceFrom is task t's Notify of service id: the bits go to its
// live instance, or its kernel thread, or wait for an instance to register
// (notifyService) — how a driver tells its client that data waits without
// knowing which task serves it now. It needs KNotify and the right to call
// the service; with no bits it only asks whether the service exists.
func (k *Kernel) notifyServiceFrom(t *Task, id ipc.ServiceID, bits uint64, now int64) ipc.Errno {
	s, e := k.bus.get(id)
	if e != 0 || bits == 0 {
		return e
	}
	if e := k.allow(t, ipc.KNotify, "to "+s.name); e != 0 {
		return e
	}
	if e := k.mayCall(t, s); e != 0 {
		return e
	}
	k.notifyService(s, bits, now)
	return 0
}

// nextDeath pops the oldest notice waiting for s; after the last, one with
// Lost set if notices were dropped.
func (s *service) nextDeath() (ipc.Death, bool) {
	if len(s.deaths) > 0 {
		d := s.deaths[0]
		s.deaths[0] = ipc.Death{}
		s.deaths = s.deaths[1:]
		return d, true
	}
	if s.deathsLost {
		s.deathsLost = false
		return ipc.Death{Lost: true}, true
	}
	return ipc.Death{}, false
}

// serviceDeath pops a notice for task t from the first watching service it
// is an instance of.
func (k *Kernel) serviceDeath(t *Task) (ipc.Death, bool) {
	for _, s := range t.services {
		if s.exits {
			if d, ok := s.nextDeath(); ok {
				return d, true
			}
		}
	}
	return ipc.Death{}, false
}

// WatchExits makes the caller's services watch exits (KExits).
func (p *proc) WatchExits() error {
	p.enter("WatchExits")
	e := p.k.allow(p.t, ipc.KExits, "")
	if e == 0 && len(p.t.services) == 0 {
		e = ipc.ErrInvalid // not an instance of any service
	}
	if e == 0 {
		for _, s := range p.t.services {
			p.k.watch(s)
		}
	}
	p.t.err = e
	return p.leave()
}

// WatchExits of a server placed in the kernel: its service watches.
func (f *kframe) WatchExits() error {
	f.k.watch(f.svc)
	return nil
}

// NextDeath of a server placed in the kernel reads its service's notices.
func (f *kframe) NextDeath() (ipc.Death, bool) { return f.svc.nextDeath() }
