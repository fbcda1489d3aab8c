package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mkos/mkos/user/coreutils"
	"github.com/mkos/mkos/user/programs"
	"github.com/mkos/mkos/user/ulib"
)

// /bin/mkos: the labs' tools inside a booted system. `mkos ostep`,
// `mkos sched` and `mkos vm` run, the same commands with the same flags
// and output, as a program of the simulated system: typed at the shell of
// `mkos shell`, `mkos web` or the browser playground (which has no other
// command line), they print on the console. Each boots a small kernel of
// its own inside the program, as on the host. Flags that name a host file
// (--trace, --gantt, --addressfile, ostep ffs -f) are refused: inside the
// system there is no host file system to read or write.

func init() {
	programs.Register("/bin/mkos", labProgram)
	coreutils.Summaries["mkos"] = "the labs' tools, as on the host: mkos ostep, mkos sched, mkos vm"
}

// labProgram is /bin/mkos.
var labProgram = ulib.Main(func(p *ulib.Proc, argv, _ []string) int {
	root := newLabRoot()
	args := argv[min(1, len(argv)):]
	if len(args) > 0 && !labCommand(root, args[0]) {
		p.Fprintf(2, "mkos: %s: not inside the system, which has mkos ostep, mkos sched and mkos vm; the other commands are the host's mkos\n", args[0])
		return exitError
	}
	if ffsInputFile(args) {
		p.Fprintf(2, "mkos: ostep ffs -f names a file of the host, and this mkos runs inside a simulated system: run it on the host for that\n")
		return exitError
	}
	root.SetArgs(args)
	root.SetIn(p.File(0))
	out, failed := p.FailedWrites(1)
	root.SetOut(out)
	root.SetErr(p.File(2))
	code, msg := exitCode(root.Execute())
	if err := failed(); err != nil { // `mkos sched … > /dev/full`: name the file
		p.Fprintf(2, "mkos: %v\n", err)
		return max(code, exitError)
	}
	if msg != "" {
		p.Fprintf(2, "mkos: %s\n", msg)
	}
	return code
})

// newLabRoot is the command tree of /bin/mkos: the labs' commands only.
func newLabRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "mkos",
		Short: "the labs' tools inside the system: mkos ostep, mkos sched, mkos vm",
		Long: `The labs' tools, as on the host: OSTEP's homework simulators (mkos ostep), the
scheduling lab (mkos sched) and the paging lab (mkos vm). Each runs its jobs or
page references on a small kernel of its own. The other commands of mkos boot
whole systems and are the host's (this is one of those systems).`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		PersistentPreRunE: checkLabFlags,
	}
	root.AddCommand(newOstepCmd(), newSchedCmd(), newVMCmd())
	root.CompletionOptions.DisableDefaultCmd = true
	return root
}

// labCommand reports whether /bin/mkos knows arg: a command of root,
// help, or a flag.
func labCommand(root *cobra.Command, arg string) bool {
	if arg == "help" || len(arg) > 0 && arg[0] == '-' {
		return true
	}
	return slices.ContainsFunc(root.Commands(), func(c *cobra.Command) bool { return c.Name() == arg })
}

// ffsInputFile reports whether args are `ostep ffs` with its command file
// (-f FILE, --input_file, or -f in a bundle of short options): the one
// OSTEP simulator that reads a file (its flags are the script's, which
// cobra does not parse).
func ffsInputFile(args []string) bool {
	if len(args) < 2 || args[0] != "ostep" || args[1] != "ffs" {
		return false
	}
	return slices.ContainsFunc(args[2:], func(a string) bool {
		return strings.HasPrefix(a, "--in") || len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.ContainsRune(a, 'f')
	})
}

// hostFileFlags name a file of the host: refused inside the system.
var hostFileFlags = []string{"trace", "gantt", "addressfile"}

// checkLabFlags checks the flags as the host's mkos does, and refuses
// those that name a host file.
func checkLabFlags(cmd *cobra.Command, args []string) error {
	var err error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if err == nil && slices.Contains(hostFileFlags, f.Name) {
			err = fmt.Errorf("--%s names a file of the host, and this mkos runs inside a simulated system: run it on the host for that", f.Name)
		}
	})
	if err != nil {
		return err
	}
	return checkFlags(cmd, args)
}
