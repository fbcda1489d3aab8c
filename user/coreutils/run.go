package coreutils

import (
	"errors"
	"path"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc/linux"

	"github.com/mkos/mkos/ipc/pmproto"
)

// Utilities that run other programs (env, xargs, time) and the lookup
// they share.

// run spawns argv (found in $PATH unless it has a slash) with env and
// waits for it; it returns its shell status (127 not found, 126 cannot
// run) and the CPU time it used.
func (u *U) run(argv, env []string) (int, int64) {
	u.Out.Flush()
	name := argv[0]
	dirs := []string{""}
	if !strings.Contains(name, "/") {
		dirs = strings.Split(u.getenv("PATH", "/bin:/sbin"), ":")
	}
	for _, d := range dirs {
		p := name
		if d != "" {
			p = path.Join(d, name)
		}
		pid, err := u.Spawn(p, argv, env, nil)
		if errors.Is(err, linux.ENOENT) && d != dirs[len(dirs)-1] {
			continue
		}
		if err != nil {
			u.fail("%s: %s", name, strerror(err))
			if errors.Is(err, linux.ENOENT) {
				return 127, 0
			}
			return 126, 0
		}
		_, ws, cpuNs, err := u.WaitpidTime(pid, 0)
		if err != nil {
			u.fail("wait: %s", strerror(err))
			return 1, 0
		}
		return pmproto.ShellStatus(ws), cpuNs
	}
	return 127, 0
}

// getenv returns the environment's value of key, or def.
func (u *U) getenv(key, def string) string {
	for _, kv := range u.env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return def
}

// env [-i] [-u NAME] [NAME=VALUE...] [COMMAND [ARG...]] prints the
// environment, or runs COMMAND in it changed: -i starts empty, -u removes
// NAME, NAME=VALUE sets.
func env(u *U, args []string) int {
	vars := append([]string(nil), u.env...)
	for len(args) > 0 {
		switch a := args[0]; {
		case a == "-i":
			vars, args = nil, args[1:]
		case a == "-u" && len(args) > 1:
			vars, args = dropVar(vars, args[1]), args[2:]
		case strings.Contains(a, "=") && !strings.HasPrefix(a, "="):
			k, _, _ := strings.Cut(a, "=")
			vars, args = append(dropVar(vars, k), a), args[1:]
		default:
			status, _ := u.run(args, vars)
			return status
		}
	}
	printLines(u, vars)
	return 0
}

// dropVar removes NAME from vars.
func dropVar(vars []string, name string) []string {
	out := vars[:0:0]
	for _, kv := range vars {
		if k, _, _ := strings.Cut(kv, "="); k != name {
			out = append(out, kv)
		}
	}
	return out
}

// xargs [-n N] [-I R] [COMMAND [ARG...]] runs COMMAND (echo) with the
// words of its standard input as further arguments: all at once, N at a
// time with -n, or once per line with -I, R in the arguments replaced by
// the line. The status is 123 if a command failed, 127 if not found.
func xargs(u *U, args []string) int {
	opts, cmd, err := options(args, "n:I:")
	if err != nil {
		return u.usage("[-n N] [-I R] [COMMAND [ARG...]]")
	}
	if len(cmd) == 0 {
		cmd = []string{"echo"}
	}
	n := 0
	if v, ok := opts['n']; ok {
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			u.fail("invalid number for -n: '%s'", v)
			return 1
		}
	}
	var batches [][]string
	if r, ok := opts['I']; ok {
		for _, line := range readLines(u, nil) {
			var argv []string
			for _, a := range cmd {
				argv = append(argv, strings.ReplaceAll(a, r, line))
			}
			batches = append(batches, argv)
		}
	} else {
		var words []string
		for _, line := range readLines(u, nil) {
			words = append(words, strings.Fields(line)...)
		}
		for len(words) > 0 || batches == nil {
			k := len(words)
			if n > 0 {
				k = min(n, k)
			}
			batches = append(batches, append(append([]string(nil), cmd...), words[:k]...))
			words = words[k:]
		}
	}
	status := 0
	for _, argv := range batches {
		switch s, _ := u.run(argv, u.env); {
		case s == 127 || s == 126:
			return s
		case s != 0:
			status = 123
		}
	}
	return status
}

// timeCmd (time) runs a command and reports on the standard error how
// long it took in virtual time (real) and the CPU time it used (cpu: its
// own computing and the kernel's work for it; not its children's, nor
// the servers' time serving it).
func timeCmd(u *U, args []string) int {
	if len(args) == 0 {
		return u.usage("COMMAND [ARG...]")
	}
	start := u.Sys.Now()
	status, cpuNs := u.run(args, u.env)
	u.Fprintf(2, "real %s\ncpu  %s\n", formatNs(u.Sys.Now()-start), formatNs(cpuNs))
	return status
}
