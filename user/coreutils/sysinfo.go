package coreutils

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
)

// Small utilities people type in their first minutes: who am I, what
// system is this, and the two classic line tools yes and tac.

// hostName is the system's name: /etc/hostname's first line, "mkos"
// without one.
func (u *U) hostName() string {
	fd, err := u.Open("/etc/hostname", linux.O_RDONLY, 0)
	if err != nil {
		return "mkos"
	}
	defer u.Close(fd)
	buf := make([]byte, 256)
	n, _ := u.Read(fd, buf)
	name, _, _ := strings.Cut(string(buf[:n]), "\n")
	if name = strings.TrimSpace(name); name != "" {
		return name
	}
	return "mkos"
}

// whoami prints the name of the user the process acts for (id -un).
func whoami(u *U, args []string) int {
	if len(args) > 0 {
		return u.usage("")
	}
	c, err := u.Cred()
	if err != nil {
		u.fail("%s", strerror(err))
		return 1
	}
	u.printf("%s\n", u.Names().User(c.UID))
	return 0
}

// hostname prints the system's name.
func hostname(u *U, args []string) int {
	if len(args) > 0 {
		return u.usage("(the name is /etc/hostname's; write that file to change it)")
	}
	u.printf("%s\n", u.hostName())
	return 0
}

// uname [-asnrm] prints what system this is: its name (-s, the default),
// the host's name (-n), the release (-r), the machine (-m), or all (-a).
func uname(u *U, args []string) int {
	opts, rest, err := options(args, "asnrmv")
	if err != nil || len(rest) > 0 {
		return u.usage("[-asnrm]")
	}
	fields := []struct {
		opt   byte
		value string
	}{{'s', "mkos"}, {'n', u.hostName()}, {'r', "1.0"}, {'v', "a microkernel simulator"}, {'m', "sim"}}
	var out []string
	for _, f := range fields {
		if has(opts, 'a') || has(opts, f.opt) {
			out = append(out, f.value)
		}
	}
	if len(out) == 0 {
		out = []string{"mkos"}
	}
	u.printf("%s\n", strings.Join(out, " "))
	return 0
}

// yes [STRING...] prints its arguments (y without any) on a line, again
// and again, until the output cannot take more: yes | head -3.
func yes(u *U, args []string) int {
	line := "y"
	if len(args) > 0 {
		line = strings.Join(args, " ")
	}
	chunk := []byte(strings.Repeat(line+"\n", max(1, 4096/(len(line)+1))))
	for {
		if _, err := u.Write(1, chunk); err != nil {
			if !errors.Is(err, linux.EPIPE) {
				u.writeFailed(err)
			}
			return u.status
		}
	}
}

// tac [FILE...] prints the lines of the files, last first.
func tac(u *U, args []string) int {
	lines := readLines(u, args)
	slices.Reverse(lines)
	printLines(u, lines)
	return u.status
}

// which NAME... prints the path of the program each name runs, looked up
// in $PATH as the shell does (builtins and functions are the shell's own:
// type says those). Status 1 when a name is found nowhere.
func which(u *U, args []string) int {
	if len(args) == 0 {
		return u.usage("NAME...")
	}
	status := 0
	for _, name := range args {
		if p, ok := u.lookPath(name); ok {
			u.printf("%s\n", p)
		} else {
			status = 1
		}
	}
	return status
}

// lookPath finds the executable file name runs: itself when it holds a
// slash, else in each directory of $PATH.
func (u *U) lookPath(name string) (string, bool) {
	dirs := []string{""}
	if !strings.Contains(name, "/") {
		dirs = strings.Split(u.getenv("PATH", "/bin:/sbin"), ":")
	}
	for _, d := range dirs {
		p := name
		if d != "" || !strings.Contains(name, "/") {
			p = strings.TrimSuffix(cmp.Or(d, "."), "/") + "/" + name
		}
		if a, err := u.Stat(p); err == nil && !a.IsDir() && a.Mode&0o111 != 0 {
			return p, true
		}
	}
	return "", false
}
