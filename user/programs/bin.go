package programs

import (
	"io"

	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/user/coreutils"
	sysinit "github.com/mkos/mkos/user/init"
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
func Bin() map[string]pmproto.Program {
	t := coreutils.Programs()
	t["/bin/sh"] = sh.Main
	t["/sbin/init"] = sysinit.Main
	t["/bin/svc"] = onStdout(svcutil.Svc)
	t["/bin/crash"] = onStdout(svcutil.Crash)
	return t
}

// onStdout runs a program made with an output writer on descriptor 1.
func onStdout(mk func(io.Writer) pmproto.Program) pmproto.Program {
	return ulib.Main(func(p *ulib.Proc, argv, env []string) int {
		return mk(p.File(1))(p.Sys, argv, env)
	})
}
