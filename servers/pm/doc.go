// Package pm is the process manager: the process table, the process tree,
// spawn, exit, wait, kill and signals, process groups, and the ps listing.
// Its protocol is ipc/pmproto; programs reach it through that package's
// stubs or the system-call library (user/ulib).
//
// # Processes
//
// A process is pm's record of a task that runs a program: a pid (distinct
// from the task's kernel endpoint, and kept when nothing else is), a
// parent, a process group, signal dispositions and, once it has ended, a
// wait status. Pids count up from 1 and are deterministic: the same run
// gives the same pids. The first process is init (pid 1); orphans are
// reparented to it, and it gets only the signals it catches. A task pm did
// not spawn becomes a process (parent 0) when it first asks for something
// that needs a pid; see Adopt.
//
// Programs are found by path in a registry given at construction
// (Options.Programs); Options.Files is the hook for asking the file server
// whether the file exists, and Options.Loader the hook that finds a
// program in a file the registry does not know — boot's runs WebAssembly
// modules (user/wasi). The table lives in a Store (Options.Store) so
// that a restarted pm finds it again; see persist.go. Boot keeps one
// MemStore per system, which a pm in a host process reaches through its
// window.
//
// Each spawn also describes its body as data (ipc.Recipe, recipe.go), so
// that a pm in a host process can spawn: its proxy makes the body again
// with MakeBody.
//
// # Users
//
// Every process acts for a uid and a gid (cred.go). The kernel keeps them
// with the task (ipc.Cred), where servers read them; pm is the policy: it
// records them (an adopted task's from the kernel), spawns a child with
// its parent's (TaskSpec.Cred), lets Setcred change them for root only
// (su, login; it calls Sys.SetCred, which needs the KSetCred privilege),
// refuses a signal from anyone but root to another user's process
// (EPERM; a kill of a group or of -1 signals those the sender may, and
// fails only when that is none), and asks the Exec hook (boot: the file
// server's Access) whether a user other than root may execute a program's
// file (EACCES). Init, pid 1, still gets only the signals it catches, from
// root too.
//
// # What pm sees, and what it cannot
//
// pm is not the kernel's supervisor — the reincarnation server is — but it
// watches exits (ipc.ExitWatcher, watch.go): the kernel tells it of the
// death of every task it spawned or that called it, however it died, and
// the process ends "killed by SIGKILL" at once (a parent waiting for it
// is answered). pm also sees:
//   - a program's exit: the wrapper around every program it spawns
//     (wrap.go) reports the code, whether the program returns or calls
//     Exit;
//   - a program's crash: the wrapper recovers the panic (a Go panic or a
//     memory fault), reports it as a death by SIGSEGV, and re-raises it for
//     the kernel;
//   - kills it makes itself: a signal whose default action terminates
//     makes the process a zombie first, then kills its task.
//
// pm cannot see, or sees late:
//   - a death whose notice was lost (the kernel's queue for pm was full):
//     pm asks the kernel about every process then (a Notify with no bits
//     fails with ESRCH), as it also does before telling a parent that no
//     child has ended and before listing processes;
//   - CPU time: no system call reports another task's, so ps has none;
//   - whether a process is blocked somewhere other than in a wait at pm;
//   - a caught signal's handler running: the program's library runs it
//     when it next takes its notifications; a program that never does
//     (never polls, sleeps or waits through the library) never runs it.
//
// # Placement
//
// pm runs in its own task or in the kernel. In the kernel its handler runs
// in the caller's trap, and each system call it makes (Spawn, Kill, Notify,
// Reply) may run other tasks that call pm in turn; so a handler changes
// the table first and queues what must happen to tasks, then does it
// (effects.go). Run one instance only.
//
// A live update (`svc update pm`, state.go) moves the process table and
// the Waits blocked in pm to the new instance, which answers them.
//
// Imports: ipc, ipc/pmproto; encoding/json for the state.
package pm
