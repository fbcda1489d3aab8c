package coreutils

import (
	"bufio"
	"fmt"
	"sort"

	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/user/ulib"
)

// utilities is the table of utilities: name → main. Each lives in the
// file of its name.
var utilities = map[string]utility{
	"[":        test,
	"basename": basename,
	"cut":      cut,
	"date":     date,
	"diff":     diff,
	"dirname":  dirname,
	"du":       du,
	"env":      env,
	"find":     find,
	"help":     help,
	"hexdump":  hexdump,
	"od":       od,
	"printf":   printf,
	"seq":      seq,
	"sort":     sortLines,
	"tee":      tee,
	"test":     test,
	"time":     timeCmd,
	"tr":       tr,
	"uniq":     uniq,
	"xargs":    xargs,
	"cat":      cat,
	"chmod":    chmod,
	"chown":    chown,
	"cp":       cp,
	"df":       df,
	"echo":     echo,
	"false":    func(*U, []string) int { return 1 },
	"grep":     grep,
	"head":     head,
	"id":       id,
	"kill":     kill,
	"ln":       ln,
	"login":    login,
	"ls":       ls,
	"mkdir":    mkdir,
	"mv":       mv,
	"ps":       ps,
	"pwd":      pwd,
	"rm":       rm,
	"rmdir":    rmdir,
	"sleep":    sleep,
	"stat":     stat,
	"su":       su,
	"sync":     syncFS,
	"tail":     tail,
	"top":      top,
	"touch":    touch,
	"true":     func(*U, []string) int { return 0 },
	"wc":       wc,
	"whoami":   whoami,
	"hostname": hostname,
	"uname":    uname,
	"yes":      yes,
	"tac":      tac,
	"which":    which,
}

// Dir is where the utilities are: /bin/NAME.
const Dir = "/bin"

// Programs returns the utilities by path, for pm's program table.
func Programs() map[string]pmproto.Program {
	out := make(map[string]pmproto.Program, len(utilities))
	for name, m := range utilities {
		out[Dir+"/"+name] = ulib.Main(func(p *ulib.Proc, argv, env []string) int {
			u := &U{Proc: p, name: name, env: env, Out: bufio.NewWriter(p.File(1))}
			status := m(u, argv[min(1, len(argv)):])
			u.flushOut()
			return max(status, u.status)
		})
	}
	return out
}

// Names returns the utilities' names, for listings and tests.
func Names() []string { return sortedKeys(utilities) }

// utility is a utility's main: it gets its arguments (without argv[0])
// and returns its status.
type utility func(u *U, args []string) int

// U is a running utility: its process, its buffered standard output, and
// the status its failures set.
type U struct {
	*ulib.Proc
	Out    *bufio.Writer
	name   string
	env    []string
	status int
}

// printf writes to the standard output.
func (u *U) printf(format string, args ...any) { fmt.Fprintf(u.Out, format, args...) }

// fail writes "NAME: MESSAGE" to the standard error and makes the status
// 1.
func (u *U) fail(format string, args ...any) {
	_ = u.Out.Flush() // a failed write is reported at the end (flushOut)
	u.Fprintf(2, "%s: %s\n", u.name, fmt.Sprintf(format, args...))
	u.status = 1
}

// failOn reports err about path.
func (u *U) failOn(path string, err error) { u.fail("%s: %s", path, ulib.Strerror(err)) }

// usage reports a usage error and returns 2.
func (u *U) usage(text string) int {
	u.fail("usage: %s %s", u.name, text)
	return 2
}

// options parses leading options (ulib.Getopt).
func options(args []string, spec string) (map[byte]string, []string, error) {
	return ulib.Getopt(args, spec)
}

// has reports whether option c was given.
func has(opts map[byte]string, c byte) bool {
	_, ok := opts[c]
	return ok
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
