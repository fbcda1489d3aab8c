package sysinit

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/user/ulib"
)

// Options say what init runs.
type Options struct {
	// Console is the stream service whose streams Stdio[0], [1] and [2]
	// init opens as its descriptors 0, 1 and 2. Empty: /dev/tty for all
	// three, or /dev/null when the system has no tty.
	Console string
	Stdio   [3]string
	// RC is the startup script, run with /bin/sh when it exists
	// (default /etc/rc; "-" runs none).
	RC string
	// Shell is the path and argv of the shell (default /bin/sh, ["sh"]).
	Shell string
	Argv  []string
	// Env is the environment of rc and the shell (default PATH=/bin:/sbin,
	// HOME=/).
	Env []string
	// User is who the shell runs as: a user of /etc/passwd, by name or
	// number. Empty or "root": root, as init itself; anyone else: init
	// starts the shell through /bin/login (rc runs as root either way).
	User string
	// Stay keeps the system up when the shell ends: init syncs the disk,
	// calls ShellDone (when set) with the shell's status, and goes on
	// reaping what the shell left running (its background jobs, say a
	// server) instead of halting; it exits when none is left. One of
	// several machines on a network serves this way.
	Stay      bool
	ShellDone func(status int)
}

// Login is the program init starts the shell through for a User.
const Login = "/bin/login"

// DefaultRC is the startup script init runs when it exists.
const DefaultRC = "/etc/rc"

// Main is init with the default options: the program at /sbin/init.
var Main = Program(Options{})

// Program returns init with options o.
func Program(o Options) pmproto.Program {
	o.defaults()
	return ulib.Main(func(p *ulib.Proc, _, _ []string) int { return run(p, &o) })
}

func (o *Options) defaults() {
	if o.RC == "" {
		o.RC = DefaultRC
	}
	if o.Shell == "" {
		o.Shell = "/bin/sh"
	}
	if o.Argv == nil {
		o.Argv = []string{"sh"}
	}
	if o.Env == nil {
		o.Env = []string{"HOME=/", "PATH=/bin:/sbin"}
	}
}

// run is init's life.
func run(p *ulib.Proc, o *Options) int {
	openConsole(p, o)
	if o.RC != "-" {
		if _, err := p.Stat(o.RC); err == nil {
			if pid, err := p.Spawn("/bin/sh", []string{"sh", o.RC}, o.Env, nil); err == nil {
				reapUntil(p, pid)
			} else {
				p.Fprintf(2, "init: %s: %s\n", o.RC, ulib.Strerror(err))
			}
		}
	}
	pid, err := p.Spawn(o.shell())
	if err != nil {
		p.Fprintf(2, "init: cannot start %s: %s\n", o.Shell, ulib.Strerror(err))
		halt(p)
		return 1
	}
	status := reapUntil(p, pid)
	if o.Stay {
		stay(p, o, status)
		return status
	}
	halt(p)
	return status
}

// stay syncs the disk, reports the shell's status, and reaps orphans
// until none is left.
func stay(p *ulib.Proc, o *Options, status int) {
	if err := p.Sync(); err != nil && !errors.Is(err, linux.ENXIO) {
		p.Fprintf(2, "init: sync: %s\n", ulib.Strerror(err))
	}
	if o.ShellDone != nil {
		o.ShellDone(status)
	}
	for {
		if _, _, err := p.Wait(); err != nil {
			return
		}
	}
}

// shell returns what init spawns to start the shell: the shell itself,
// or login with the user, the shell and its arguments.
func (o *Options) shell() (string, []string, []string, *pmproto.SpawnAttr) {
	if o.User == "" || o.User == "root" {
		return o.Shell, o.Argv, o.Env, nil
	}
	argv := append([]string{"login", o.User, o.Shell}, o.Argv[min(1, len(o.Argv)):]...)
	return Login, argv, o.Env, nil
}

// openConsole opens descriptors 0, 1 and 2.
func openConsole(p *ulib.Proc, o *Options) {
	flags := [3]int{linux.O_RDONLY, linux.O_WRONLY, linux.O_WRONLY}
	for i := range 3 {
		var fd int
		var err error
		switch {
		case o.Console != "":
			fd, err = p.OpenStream(o.Console, o.Stdio[i], flags[i])
		default:
			if fd, err = p.Open("/dev/tty", flags[i], 0); err != nil {
				fd, err = p.Open("/dev/null", flags[i], 0)
			}
		}
		if err == nil && fd != i { // an earlier one failed: keep the numbers
			_, _ = p.Dup2(fd, i)
			_ = p.Close(fd)
		}
	}
}

// pmWaits is how many times in a row init's wait goes on while no pm
// answers (each try is the bus's service_wait): pm stopped with `svc stop
// pm` can be started again from the shell meanwhile.
const pmWaits = 600

// reapUntil collects children, orphans included, until pid ends, and
// returns its status as a shell shows it.
func reapUntil(p *ulib.Proc, pid int) int {
	for tries := 0; ; {
		got, ws, err := p.Wait()
		if errors.Is(err, ipc.ErrNoInstance) && tries < pmWaits {
			tries++ // pm is stopped or restarting: wait for it
			continue
		}
		if err != nil {
			return 127 // no children left: pid was never ours
		}
		tries = 0
		if got == pid {
			return pmproto.ShellStatus(ws)
		}
	}
}

// halt ends every other process, collects them and syncs the disk.
func halt(p *ulib.Proc) {
	_ = p.Kill(-1, linux.SIGKILL)
	for {
		if _, _, err := p.Wait(); err != nil {
			break
		}
	}
	if err := p.Sync(); err != nil && !errors.Is(err, linux.ENXIO) {
		p.Fprintf(2, "init: sync: %s\n", ulib.Strerror(err))
	}
}
