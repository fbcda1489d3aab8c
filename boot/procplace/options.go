package procplace

import (
	"github.com/mkos/mkos/ipc"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// SubCommand is the hidden subcommand that makes the mkos binary a server
// process: `mkos serve SERVICE IMPL OFFSET LENGTH`, with the window as
// descriptor 3 and the boot configuration on standard input. A test
// binary that places servers in processes answers it in its TestMain.
const SubCommand = "serve"

// DefaultWatchdog is the host time a server process has to answer one
// request (to make its next system call) before its proxy kills it as
// hung.
const DefaultWatchdog = 10 * time.Second

// Options describe one server process.
type Options struct {
	// Service is the service it serves; Impl the implementation it runs.
	Service, Impl string
	// Config is the configuration the process reads on its standard
	// input, the only thing it is given.
	Config []byte
	// Exe is the binary to run (the mkos binary, or a test binary that
	// answers SubCommand); empty is this process's own executable.
	Exe string
	// CrossNs is the virtual time charged for each system call the
	// process makes: the crossing from the process into the proxy and
	// back (Profile.ProcessCrossNs).
	CrossNs int64
	// Watchdog is the host time the process has for one answer; 0 is
	// DefaultWatchdog.
	Watchdog time.Duration
	// Arm, when set, holds a host fault for the next request.
	Arm *Arm
	// OnStart, when set, is told the host PID of each process started.
	OnStart func(pid int)
	// HostWait, when set, is told when the proxy starts (true) and ends
	// (false) waiting for the process: a wait on the host, not a spin, for
	// the run's watchdog (kernel.Pulse.HostWait); the process's own
	// watchdog (Watchdog) bounds it.
	HostWait func(on bool)
	// Makers, when set, make the bodies of the tasks the process spawns,
	// from their recipes (ipc.TaskSpec.Recipe), by maker name.
	Makers map[string]Maker
	// Host, when set, answers the process's host requests (the child's
	// Host): what the simulator keeps for the server outside its process,
	// such as ds's store, reached through the window and nowhere else. Its
	// answer must fit the window; it runs on the proxy's coroutine and
	// charges no virtual time.
	Host func(req []byte) []byte
}

// Maker makes a task body from a recipe's argument (ipc.Recipe.Arg).
type Maker func(arg []byte) (func(ipc.Sys), error)

// hostWait marks a wait on the process for the run's watchdog.
func (o *Options) hostWait(on bool) {
	if o.HostWait != nil {
		o.HostWait(on)
	}
}

func (o *Options) watchdog() time.Duration {
	if o.Watchdog > 0 {
		return o.Watchdog
	}
	return DefaultWatchdog
}

// firstFatal returns the line where the Go runtime says why a process
// died: a panic, a fatal error (concurrent map writes, out of memory), a
// stack overflow, a signal; "" when there is none.
func firstFatal(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		l = strings.TrimSpace(l)
		for _, p := range []string{"panic: ", "fatal error: ", "runtime: goroutine stack exceeds", "SIG"} {
			if strings.HasPrefix(l, p) {
				return l
			}
		}
	}
	return ""
}

// sysnoRe finds the system call number in the traceback of a process the
// seccomp filter trapped: the innermost Syscall frame whose first argument
// the traceback knows (one it only guesses is printed with a "?").
var sysnoRe = regexp.MustCompile(`Syscall6?\((0x[0-9a-f]+)[,)]`)

// seccompKill reports whether stderr is the Go runtime's report of a
// system call the filter trapped, and names the call.
func seccompKill(stderr string) (string, bool) {
	if !strings.Contains(stderr, "SIGSYS: bad system call") {
		return "", false
	}
	m := sysnoRe.FindStringSubmatch(stderr)
	if m == nil {
		return "unknown system call", true
	}
	n, err := strconv.ParseUint(m[1], 0, 64)
	if err != nil {
		return m[1], true
	}
	return syscallName(uintptr(n)), true
}

// HostCall asks the proxy's host side (Options.Host) and returns its
// answer, valid until the next call: a server process's only way to what
// the simulator keeps for it.
type HostCall func(req []byte) ([]byte, error)

// MakeServer builds, in the server process, server impl from the boot
// configuration the process was given; host reaches what the proxy keeps
// for it.
type MakeServer func(config []byte, impl string, host HostCall) (ipc.Server, error)
