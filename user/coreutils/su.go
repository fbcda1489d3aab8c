package coreutils

import (
	"path"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/user/ulib"
)

// su [-|-l] [USER] [-c CMD] runs a shell (the user's, from /etc/passwd) as
// USER (default root), or sh -c CMD; with - or -l as a login: in USER's
// home directory. login USER [PROGRAM [ARG...]] is su - USER, running
// PROGRAM instead of the shell: what init starts the shell with when the
// configuration names a user.
//
// mkos checks no passwords: only root may become another user (pm's
// Setcred refuses anyone else, EPERM), so su works from root to anyone
// and from a user only to that user.
func su(u *U, args []string) int {
	login := false
	if len(args) > 0 && (args[0] == "-" || args[0] == "-l") {
		login, args = true, args[1:]
	}
	name := "root"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	opts, rest, err := options(args, "c:")
	if err != nil || len(rest) > 0 {
		return u.usage("[-|-l] [USER] [-c COMMAND]")
	}
	argv := []string{}
	if cmd, ok := opts['c']; ok {
		argv = []string{"-c", cmd}
	}
	return u.switchUser(name, login, "", argv)
}

// login USER [PROGRAM [ARG...]]: see su.
func login(u *U, args []string) int {
	if len(args) == 0 {
		return u.usage("USER [PROGRAM [ARG...]]")
	}
	prog := ""
	if len(args) > 1 {
		prog = args[1]
	}
	return u.switchUser(args[0], true, prog, args[min(2, len(args)):])
}

// switchUser becomes user name and runs prog (the user's shell when
// empty) with args, in the user's home with login; it returns the
// program's status.
func (u *U) switchUser(name string, login bool, prog string, args []string) int {
	usr, ok := u.LookupUser(name)
	if !ok {
		u.fail("user %s does not exist", name)
		return 1
	}
	if err := u.Setcred(ipc.Cred{UID: usr.UID, GID: usr.GID}); err != nil {
		u.fail("cannot become %s: %s", name, strerror(err))
		return 1
	}
	if prog == "" {
		prog = usr.Sh
		if prog == "" {
			prog = "/bin/sh"
		}
	}
	if login {
		if err := u.Chdir(usr.Home); err != nil {
			u.fail("warning: cannot change directory to %s: %s", usr.Home, strerror(err))
			u.status = 0
		}
	}
	env := userEnv(u.env, usr, prog)
	u.Out.Flush()
	pid, err := u.Spawn(prog, append([]string{path.Base(prog)}, args...), env, nil)
	if err != nil {
		u.fail("%s: %s", prog, strerror(err))
		return 126
	}
	_, ws, err := u.Waitpid(pid, 0)
	if err != nil {
		u.fail("wait: %s", strerror(err))
		return 1
	}
	return pmproto.ShellStatus(ws)
}

// userEnv returns env with HOME, USER, LOGNAME and SHELL set for usr.
func userEnv(env []string, usr ulib.User, shell string) []string {
	set := map[string]string{"HOME": usr.Home, "USER": usr.Name, "LOGNAME": usr.Name, "SHELL": shell}
	out := make([]string, 0, len(env)+len(set))
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); set[k] == "" {
			out = append(out, kv)
		}
	}
	for _, k := range []string{"HOME", "USER", "LOGNAME", "SHELL"} {
		out = append(out, k+"="+set[k])
	}
	return out
}
