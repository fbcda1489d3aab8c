package procplace

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Spawning from a process. A server in a process (pm) cannot hand the
// kernel a task body: the body is Go code in its own address space. Its
// Spawn sends the task's description and recipe (ipc.TaskSpec.Recipe)
// instead; the proxy makes the body again with the maker the recipe names
// (Options.Makers, which boot fills: pm's program wrapper) and spawns the
// task itself, with its own privileges — the kernel checks the child's
// record against the proxy's, which is the server's.

// spec writes everything of a task spec but its body.
func (e *enc) spec(t *ipc.TaskSpec) {
	e.str(t.Name)
	e.i64(int64(t.Prio))
	e.flag(t.Pin)
	e.i64(int64(t.CPU))
	e.i64(int64(t.Tickets))
	e.i64(t.LengthNs)
	e.flag(t.Priv != nil)
	if t.Priv != nil {
		e.str(t.Priv.Name)
		e.u64(uint64(t.Priv.Calls))
		e.strs(t.Priv.Register)
		e.strs(t.Priv.Services)
		e.strs(t.Priv.Devices)
	}
	e.flag(t.Cred != nil)
	if t.Cred != nil {
		e.cred(*t.Cred)
	}
	e.str(t.Recipe.Maker)
	e.bytes(t.Recipe.Arg)
}

// spec reads what enc.spec wrote.
func (d *dec) spec() ipc.TaskSpec {
	t := ipc.TaskSpec{Name: d.str(), Prio: int(d.i64()), Pin: d.flag(), CPU: int(d.i64()), Tickets: int(d.i64()), LengthNs: d.i64()}
	if d.flag() {
		t.Priv = &ipc.Priv{Name: d.str(), Calls: ipc.KCall(d.u64()), Register: d.strs(), Services: d.strs(), Devices: d.strs()}
	}
	if d.flag() {
		c := d.cred()
		t.Cred = &c
	}
	t.Recipe = &ipc.Recipe{Maker: d.str(), Arg: append([]byte(nil), d.bytes()...)}
	return t
}

// Spawn sends the task's recipe; a spec without one fails with ENOSYS
// (its body cannot cross).
func (r *remoteSys) Spawn(t ipc.TaskSpec) (ipc.Endpoint, error) {
	if t.Recipe == nil {
		return 0, ipc.ErrNoSys
	}
	r.begin(opSpawn).spec(&t)
	d, err := r.call()
	return d.ep(), err
}

// spawn makes the body of a process's Spawn from its recipe and spawns
// the task: ENOSYS for a maker it does not have, ENOEXEC for a recipe the
// maker refuses.
func (k *kernelSide) spawn() {
	t := k.d.spec()
	if k.d.short {
		return // do answers EINVAL
	}
	mk := k.makers[t.Recipe.Maker]
	if mk == nil {
		k.e.errno(ipc.ErrNoSys)
		return
	}
	body, err := mk(t.Recipe.Arg)
	if err != nil {
		k.e.errno(linux.ENOEXEC)
		return
	}
	t.Body = body
	ep, err := k.sys.Spawn(t)
	k.e.errno(err)
	k.e.ep(ep)
}
