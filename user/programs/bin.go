package programs

import (
	"io"

	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/user/coreutils"
	sysinit "github.com/mkos/mkos/user/init"
	"github.com/mkos/mkos/user/netcmd"
	"github.com/mkos/mkos/user/sh"
	"github.com/mkos/mkos/user/svcutil"
	"github.com/mkos/mkos/user/ulib"
)

// Bin returns the program table of a booted system: path → program, each
// reading and writing its descriptors (0, 1, 2) through the system-call
// library. Boot gives it to pm.
//
//	/sbin/init            user/init
//	/bin/sh               user/sh
//	/bin/ls, /bin/cat, …  user/coreutils (coreutils.Names)
//	/bin/svc, /bin/crash  user/svcutil
//	/bin/ping, /bin/nc, … user/netcmd (netcmd.Names)
//	/bin/mkos             the labs' tools (cmd/mkos registers it)
func Bin() map[string]pmproto.Program {
	t := coreutils.Programs()
	t["/bin/sh"] = sh.Main
	t["/sbin/init"] = sysinit.Main
	t["/bin/svc"] = onStdout("svc", svcutil.Svc)
	t["/bin/crash"] = onStdout("crash", svcutil.Crash)
	for path, p := range netcmd.Programs() {
		t[path] = p
	}
	for path, p := range registered {
		t[path] = p
	}
	return t
}

func init() {
	for name, s := range netcmd.Summaries {
		coreutils.Summaries[name] = s // help lists every program of /bin
	}
}

// registered are the programs Register added.
var registered = map[string]pmproto.Program{}

// Register adds program p to Bin's table at path, for every system booted
// after. A command that ships more programs than the user packages have
// calls it from an init function: cmd/mkos registers /bin/mkos, the
// labs' tools. Preconditions: called before any system boots (init), not
// concurrently.
func Register(path string, p pmproto.Program) { registered[path] = p }

// onStdout runs program name, made with an output writer, on descriptor
// 1; a write that failed there is reported, naming the file, and makes
// the status 1 at least (`svc list > /dev/full`).
func onStdout(name string, mk func(io.Writer) pmproto.Program) pmproto.Program {
	return ulib.Main(func(p *ulib.Proc, argv, env []string) int {
		out, failed := p.FailedWrites(1)
		status := mk(out)(p.Sys, argv, env)
		if err := failed(); err != nil {
			p.Fprintf(2, "%s: %v\n", name, err)
			return max(status, 1)
		}
		return status
	})
}
