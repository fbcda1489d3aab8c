package pm

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// The program wrapper: the body of every task pm spawns. LECTURE: exit-report
//
// pm is not the kernel's supervisor (the reincarnation server is), so the
// kernel does not tell pm when a task dies. The wrapper tells it instead:
//
//  1. Attach: prove to pm which process this task is (pid and token).
//  2. Run the program with a Sys whose Exit reports the status to pm
//     first; returning from the program is Exit with the returned code.
//  3. If the program panics (a Go panic, or a memory fault the kernel
//     turns into one), report "killed by SIGSEGV" and let the panic go
//     on: the kernel records the real cause for the supervisor and the
//     trace.
//
// A task killed by pm needs no report (pm killed it). What is left unseen —
// a task killed by someone else with Sys.Kill — pm finds out by asking the
// kernel (probe, in effects.go) before it tells a parent that no child has
// ended, and before it lists processes.

// body returns the task body that runs prog as process pid. With pid 0
// the task asks to be adopted under name instead (Adopt).
func body(pid int, token uint64, name string, prog pmproto.Program, argv, env []string) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		c, err := pmproto.Dial(sys)
		if err != nil {
			return
		}
		if err := attach(c, pid, token, name); err != nil {
			return // not the process it was spawned as: run nothing
		}
		ps := &procSys{Sys: sys, pm: c}
		defer ps.recoverCrash()
		ps.Exit(prog(ps, argv, env))
	}
}

// attachTries bounds the Attach requests of a wrapper.
const attachTries = 3

// attach makes the Attach request of step 1, again when it fails: Attach
// is idempotent, and a failure may be a reply scrambled on its way back
// (a garbage fault: pm did attach the task) or a pm that restarted under
// it. A wrapper that gave up at the first would end unseen by pm, and a
// parent waiting for it would wait for good.
func attach(c pmproto.Client, pid int, token uint64, name string) error {
	var err error
	for range attachTries {
		if _, err = c.Attach(pid, token, name); err == nil {
			return nil
		}
	}
	return err
}

// Adopt returns a task that runs prog as a process pm adopts: its first
// request makes it a process with parent 0 — pid 1, init, when it is the
// first process pm sees. Boot starts init this way; its exit is reported
// like any spawned program's.
//
// The task runs with the programs' privilege record (ipc.UserPriv), as if
// pm had started it.
func Adopt(name string, prog pmproto.Program, argv, env []string) ipc.TaskSpec {
	p := ipc.UserPriv()
	return ipc.TaskSpec{Name: name, Priv: &p, Body: body(0, 0, name, prog, argv, env)}
}

// procSys is the Sys a wrapped program gets: its task's own, except that
// Exit reports to pm first.
type procSys struct {
	ipc.Sys
	pm   pmproto.Client
	done bool // the end is reported, or under way
}

// ReportsExit marks procSys as pmproto.Wrapped.
func (s *procSys) ReportsExit() {}

// Exit reports code to pm and ends the task.
func (s *procSys) Exit(code int) {
	if !s.done {
		s.done = true
		_ = s.pm.Exit(code)
	}
	s.Sys.Exit(code)
}

// recoverCrash reports a panic that is unwinding the program (step 3) and
// re-raises it. The kernel unwinds a killed task with a panic too; the
// report then traps, and a dead task's trap unwinds again at once: nothing
// reaches pm.
func (s *procSys) recoverCrash() {
	r := recover()
	if r == nil {
		return
	}
	if !s.done {
		s.done = true
		_ = s.pm.Crashed(linux.SIGSEGV)
	}
	panic(r)
}
