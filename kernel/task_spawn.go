package kernel

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/sched"
)

// spawnedBy returns the Task.called bits a child of parent starts with:
// the services parent spawns it for (its own, or the in-kernel service
// whose handler runs), so that a watching spawner — pm — hears of the
// death of a child that never called it.
func spawnedBy(parent *Task) uint64 {
	if parent == nil {
		return 0
	}
	if parent.depth > 0 {
		return serviceBit(parent.kfrm[parent.depth-1].svc.id)
	}
	var bits uint64
	for _, s := range parent.services {
		bits |= serviceBit(s.id)
	}
	return bits
}

// spawn creates a task in a free slot and makes it runnable. LECTURE: spawn
//
// parent is the task that asked (nil: boot); the child's privileges and
// credentials are checked against its (priv.go).
func (k *Kernel) spawn(parent *Task, spec ipc.TaskSpec, now int64) (*Task, ipc.Errno) {
	if spec.Body == nil || (spec.Pin && (spec.CPU < 0 || spec.CPU >= len(k.cpus))) {
		return nil, ipc.ErrInvalid
	}
	priv, cred, e := k.childPriv(parent, &spec)
	if e != 0 {
		return nil, e
	}
	if k.live >= k.cfg.MaxTasks {
		return nil, ipc.ErrNoInstance
	}
	var slot uint32
	if len(k.free) > 0 {
		slot = k.free[0]
		k.free = k.free[1:]
	} else {
		slot = uint32(len(k.tasks))
		k.tasks = append(k.tasks, nil)
		k.gens = append(k.gens, 1)
	}
	t := &Task{ep: ipc.TaskEndpoint(slot, k.gens[slot]), name: spec.Name, prio: spec.Prio, pin: spec.Pin, priv: priv, cred: cred}
	t.ent.ID = int(slot)
	t.ent.Prio = spec.Prio
	t.ent.Tickets = spec.Tickets
	t.ent.LengthNs = spec.LengthNs
	t.cpu = int(slot) % len(k.cpus)
	if spec.Pin {
		t.cpu = spec.CPU
	}
	t.called = spawnedBy(parent)
	t.sys = proc{k: k, t: t}
	t.co = k.newCoroutine(t, spec.Body)
	k.tasks[slot] = t
	k.live++
	k.stats.Spawns++
	if k.trace != nil {
		k.emit(Event{Kind: EvSpawn, T: now, Task: t.ep, Name: t.name})
	}
	k.ready(t, sched.Created, now)
	return t, 0
}
