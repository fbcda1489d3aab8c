package coreutils

// Summaries are one line about each program in /bin and each builtin of
// the shell, for help; a table test checks every utility has one.
var Summaries = map[string]string{
	"[":        "test a condition: [ EXPRESSION ]",
	"basename": "print a name without its directories (and suffix)",
	"cat":      "print files one after the other",
	"chmod":    "change files' permissions",
	"chown":    "change files' owner and group",
	"cp":       "copy files",
	"crash":    "inject a fault into a service (for experiments)",
	"cut":      "print selected fields, characters or bytes of each line",
	"date":     "print the virtual clock as a date",
	"df":       "print the file system's size and free space",
	"diff":     "compare two files line by line",
	"dirname":  "print a name without its last component",
	"du":       "print the space files use",
	"echo":     "print its arguments",
	"env":      "print the environment, or run a command in a changed one",
	"false":    "do nothing, unsuccessfully",
	"find":     "list the files under directories that pass tests",
	"grep":     "print the lines that match a pattern",
	"head":     "print the first lines of files",
	"help":     "list the commands with one line each",
	"hexdump":  "dump bytes in hexadecimal and text",
	"id":       "print the user's and group's ids",
	"init":     "the first process: starts the shell",
	"kill":     "send a signal to processes",
	"ln":       "make links",
	"login":    "start a shell as a user",
	"ls":       "list directories",
	"mkdir":    "make directories",
	"mv":       "move or rename files",
	"od":       "dump bytes in octal, hexadecimal or as characters",
	"printf":   "print arguments under the control of a format",
	"ps":       "list the processes",
	"pwd":      "print the working directory",
	"rm":       "remove files",
	"rmdir":    "remove empty directories",
	"seq":      "print a sequence of numbers",
	"sh":       "the shell: run commands and scripts",
	"sleep":    "wait for a while, in virtual time",
	"sort":     "print lines in order",
	"stat":     "describe files",
	"su":       "run a shell or command as another user",
	"svc":      "list, restart, replace, update services",
	"sync":     "write everything to the disk",
	"tail":     "print the last lines of files (-f: and what is added)",
	"tac":      "print files' lines, last first",
	"tee":      "copy the standard input to files and the standard output",
	"test":     "test a condition: files, strings, numbers",
	"time":     "run a command and print how long it took",
	"top":      "show processes and services, refreshed",
	"touch":    "create files",
	"tr":       "translate or delete characters",
	"true":     "do nothing, successfully",
	"uniq":     "print lines once, dropping adjacent repeats",
	"wc":       "count lines, words and bytes",
	"xargs":    "run a command with the words of the standard input",
	"whoami":   "print the user's name",
	"which":    "print the path of the program a name runs",
	"hostname": "print the system's name (/etc/hostname)",
	"uname":    "print what system this is",
	"yes":      "print a line again and again, until the output is closed",
}

// shellBuiltins are the shell's builtins, listed by help apart.
var shellBuiltins = "bg break cd command continue eval exit export fg jobs local read return set shift source (.) svc type unset wait"

// help [COMMAND...] lists every program in /bin with one line each (and
// the shell's builtins), or describes the named ones.
func help(u *U, args []string) int {
	if len(args) > 0 {
		for _, a := range args {
			s, ok := Summaries[a]
			if !ok {
				u.fail("no help for '%s'", a)
				continue
			}
			u.printf("%-9s %s\n", a, s)
		}
		return u.status
	}
	u.printf("Programs (in /bin; a wrong option shows a program's usage):\n")
	es, err := u.ReadDir(Dir)
	names := sortedKeys(Summaries)
	if err == nil {
		names = names[:0]
		for _, e := range sortedEntries(es) {
			if e.Name != "." && e.Name != ".." {
				names = append(names, e.Name)
			}
		}
	}
	for _, n := range names {
		s := Summaries[n]
		if s == "" {
			s = "(no summary)"
		}
		u.printf("  %-9s %s\n", n, s)
	}
	u.printf("Shell builtins: %s\n", shellBuiltins)
	return 0
}
