package pmproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Name is the service name the process manager registers.
const Name = "pm"

// Request types. The comment of each gives its payload words (W0…W5), its
// windows and its reply. A pid argument is an int64 in its word.
const (
	// Spawn: W0 = bytes of strings in the send window, W1 = argc, W2 =
	// envc, W3 = number of descriptors, W4 = SpawnFlags, W5 = process
	// group (with SpawnSetPgroup; 0 is the child's own pid). The send
	// window holds the path, argv and the environment, each string ended
	// by a NUL, then the descriptors as 4-byte little-endian ints (see
	// EncodeSpawn). Reply W0 = the child's pid.
	Spawn ipc.Type = iota + 1
	// Attach: the first request of a task: W0 = pid and W1 = token for a
	// task pm spawned (the program wrapper sends them), or W0 = 0 and a
	// name in W2–W3 (NameSize bytes, NUL-padded) to be adopted. Reply
	// W0 = pid, W1 = ppid, W2 = pgid.
	Attach
	// Exit: W0 = exit code, W1 = signal (0 for a normal exit; the wrapper
	// reports a crashed program as killed by SIGSEGV). The caller becomes
	// a zombie; it should end its task right after the reply.
	Exit
	// Wait: W0 = pid (> 0 that child, -1 any child, 0 any child in the
	// caller's group, < -1 any child in group -pid), W1 = options
	// (WNOHANG, WUNTRACED). Reply W0 = pid (0 with WNOHANG when none has
	// ended), W1 = wait status, W2 = the child's CPU time in ns (user and
	// system, as at its exit; 0 if unknown). Blocks (the reply is deferred) until a
	// child ends; ECHILD when there is none to wait for, EINTR when a
	// caught signal arrives first.
	Wait
	// Kill: W0 = pid (> 0 that process, 0 the caller's group, -1 every
	// process but init and the caller, < -1 group -pid), W1 = signal (0
	// only checks that the target exists). Reply W0 = processes signalled.
	// Only root signals another user's process: a target that refuses is
	// skipped, and EPERM comes when every target refused.
	Kill
	// Getpid: reply W0 = pid, W1 = ppid, W2 = pgid of the caller.
	Getpid
	// Setpgid: W0 = pid (0: the caller), W1 = pgid (0: the pid). The
	// target is the caller or one of its children; pgid must be its own
	// pid or an existing group.
	Setpgid
	// Getpgid: W0 = pid (0: the caller). Reply W0 = pgid.
	Getpgid
	// Sigaction: W0 = signal, W1 = Disposition. Reply W0 = the previous
	// Disposition. SIGKILL and SIGSTOP cannot be caught or ignored.
	Sigaction
	// Ps: W0 = the first pid to list; ProcInfo records (RecordSize bytes
	// each) into the receive window. Reply W0 = records, W1 = the pid to
	// continue from (0: the listing is complete).
	Ps
	// Fds: the descriptors the caller inherited at spawn, as 4-byte
	// little-endian ints into the receive window. Reply W0 = count.
	Fds
	// Setcred: W0 = uid, W1 = gid. The caller's credentials become these
	// (pm sets them in the kernel, and its children inherit them). Only
	// root may become someone else: EPERM for anyone else who asks for
	// other credentials than its own.
	Setcred

	// LastRequest is the highest request type.
	LastRequest = Setcred
)

// RequestNames names each request type, for traces and the
// table-consistency tests.
var RequestNames = map[ipc.Type]string{
	Spawn: "spawn", Attach: "attach", Exit: "exit", Wait: "wait", Kill: "kill",
	Getpid: "getpid", Setpgid: "setpgid", Getpgid: "getpgid",
	Sigaction: "sigaction", Ps: "ps", Fds: "fds", Setcred: "setcred",
}

// Program is the code of a program pm can spawn: it runs as the body of
// the child's task, gets argv (argv[0] is by convention the program's
// name) and the environment ("KEY=value"), and returns the exit code.
// Programs live in a registry, a map from path ("/bin/echo") to Program,
// that pm gets at construction.
type Program func(sys ipc.Sys, argv, env []string) int

// SpawnFlags are the options of a spawn.
type SpawnFlags uint64

const (
	// SpawnSetPgroup puts the child in process group SpawnAttr.Pgroup
	// (0: a new group led by the child) before it runs, as
	// posix_spawnattr_setpgroup does: a shell starts each job this way.
	SpawnSetPgroup SpawnFlags = 1 << iota
)

// SpawnAttr holds the optional parts of a spawn.
type SpawnAttr struct {
	// Fds are the descriptors the child inherits, opaque to pm; the child
	// reads them back with Client.Fds.
	Fds []int
	// Flags and Pgroup: see SpawnSetPgroup.
	Flags  SpawnFlags
	Pgroup int
}

// Disposition is what a process does with a signal.
type Disposition uint8

const (
	// SigDefault takes the signal's default action (DefaultAction).
	SigDefault Disposition = iota
	// SigIgnore discards the signal.
	SigIgnore
	// SigCatch delivers it as a notification bit for a handler to run.
	SigCatch
)

// WNOHANG makes Wait return at once when no child has ended.
const WNOHANG = linux.WNOHANG

// WUNTRACED makes Wait also report a child that stopped (once per stop),
// with a Stopped wait status; the child stays in the table.
const WUNTRACED = 0x2

// MaxPid is the largest pid; pids wrap around to 2 after it, skipping the
// ones in use (Linux's default pid_max).
const MaxPid = 32768

// Ids are a process's pid, parent pid and process group.
type Ids struct {
	Pid, Ppid, Pgid int
}
