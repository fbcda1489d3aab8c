package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	ttyhw "github.com/mkos/mkos/drivers/tty/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
	sysinit "github.com/mkos/mkos/user/init"
	"github.com/mkos/mkos/user/programs"
)

// shellFlags are the flags of `mkos shell`: a few of run's, and --init;
// and the script, when a FILE is given.
type shellFlags struct {
	runFlags
	init       string
	top        bool // --top: the dashboard over the console
	script     string
	scriptArgs []string // FILE ARG...: $0 $1 ...
}

func newShellCmd() *cobra.Command {
	var f shellFlags
	cmd := &cobra.Command{
		Use:   "shell [FILE [ARG...]]",
		Short: "Boot a system with its console on this terminal and run a shell",
		Long: `Boot a system with the file server on a disk (--disk IMAGE, or 16 MiB in
memory; a blank disk gets a new file system), pm, the pipe server, the memory
devices and the console: the tty driver on a simulated UART whose keyboard and
screen are this terminal. init opens the console as descriptors 0, 1 and 2 and
starts the program --init names (/bin/sh). When it exits — "exit", or ^D on an
empty line — init kills what is left, syncs the disk and exits, the console
hangs up, and mkos exits with the shell's status.

On a terminal, the terminal is put in raw mode: the tty's line discipline
edits lines, echoes, and turns ^C into SIGINT for the foreground job. While
the console waits for a key, virtual time runs no faster than the wall clock
(sleep 5 takes five seconds). ^] detaches: the console hangs up as if the
terminal had closed.

When the standard input is not a terminal (a pipe, a file) it is typed at
the console as a script, read as programs read the console, and the run is
reproducible: the same input and seed give the same output.

With FILE, the shell runs the host file FILE as a script (sh -c with
its text; $0 is FILE, $1… the ARGs), with the console as its standard
input, output and error, and mkos exits with the script's status.

A program --init names that is not in the program table gets a minimal echo
loop instead, which shows the console works.

A task that runs its Go code for --watchdog of host time without a system
call stops the run, and mkos exits with status 4 (waiting for a key is not
such a task).

With --hosts N the console is machine --host's (1) of N machines on one
simulated switch (see mkos run --help); the others run headless: init, its
/etc/rc and the hosts: entry's run: commands.`,
		Example: `  mkos shell
  mkos shell --mode mono --disk disk.img
  printf 'echo hello | cat\nexit 3\n' | mkos shell
  mkos shell script.sh --max-time 10s
  mkos shell --hosts 3 --host 2`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				b, err := os.ReadFile(args[0])
				if err != nil {
					return err
				}
				f.script, f.scriptArgs = string(b), args
			}
			return runShell(cmd, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", "", "boot configuration file (YAML)")
	fl.StringVar(&f.mode, "mode", "", "placement: micro, mono or hybrid")
	fl.Uint64Var(&f.seed, "seed", 0, "seed of the kernel's random generator")
	fl.IntVar(&f.cpus, "cpus", 0, "number of virtual CPUs")
	fl.StringVar(&f.policy, "policy", "", "scheduling policy")
	fl.StringVar(&f.disk, "disk", "", "the disk's image file (created if missing; default: in memory)")
	fl.StringVar(&f.init, "init", "/bin/sh", "the program init starts on the console")
	fl.StringVar(&f.user, "user", "", "run the shell as this user of /etc/passwd (default root)")
	fl.BoolVar(&f.top, "top", false, "show mkos top's dashboard over the console, split screen (ctrl+t moves the keys between them)")
	fl.StringVar(&f.trace, "trace", "", "write every kernel event to this file as JSON lines (mkos trace reads it)")
	fl.BoolVar(&f.json, "json", false, "print the run's summary as JSON when the shell has ended")
	fl.DurationVar(&f.maxTime, "max-time", 0, "stop the system at this virtual time (mkos exits with status 5 if the shell had not finished)")
	addWatchdogFlag(fl, &f.runFlags)
	addHostFlags(cmd, &f.hostFlags)
	return cmd
}

// runShell boots, attaches the console to the command's standard input
// and output, runs init and the shell, and returns the shell's status.
func runShell(cmd *cobra.Command, f *shellFlags) error {
	cfg, err := f.configure(cmd)
	if err != nil {
		return err
	}
	if err := checkRunImage(cfg, true); err != nil {
		return err
	}
	if len(cfg.Hosts) > 0 {
		return runHostsShell(cmd, f, cfg)
	}
	cfg = withMaxTime(cmd, &f.runFlags, boot.UserSpace(fsConfig(cfg)))
	if f.top {
		return runShellTop(cmd, f, cfg)
	}
	in, out := cmd.InOrStdin(), cmd.OutOrStdout()
	term := terminalFd(in)
	if term >= 0 {
		out = ttyhw.RawOutput(out) // raw mode leaves newlines to us
	}
	cfg.Console = &boot.ConsoleConf{In: in, Out: out, Interactive: term >= 0}
	if err := cfg.Check(); err != nil {
		return err
	}
	trace, err := openTrace(f.trace)
	if err != nil {
		return err
	}
	defer trace.close()
	sys, err := boot.Boot(cfg, trace.tracer())
	if err != nil {
		return err
	}
	defer sys.Close()
	if err := formatIfBlank(sys, cfg.Disk.Image, cmd.ErrOrStderr()); err != nil {
		return err
	}
	status, err := startSession(sys, f.init, f.shellArgs())
	if err != nil {
		return err
	}
	if term >= 0 {
		fmt.Fprintln(cmd.ErrOrStderr(), "mkos: the console is this terminal; exit or ^D ends the shell, ^] detaches")
		restore, err := ttyhw.MakeRaw(term)
		if err != nil {
			return fmt.Errorf("raw mode: %w", err)
		}
		defer restore()
	}
	sum, err := sys.Run()
	if err != nil {
		return halted(cmd, err)
	}
	if err := sys.Close(); err != nil {
		return fmt.Errorf("disk image: %w", err)
	}
	if err := trace.close(); err != nil {
		return err
	}
	if f.json {
		if err := sum.JSON(out); err != nil {
			return err
		}
	}
	return shellOutcome(sys, *status)
}

// shellArgs are the shell's arguments: -c SCRIPT FILE ARG... for `mkos
// shell FILE ARG...`, none for an interactive shell.
func (f *shellFlags) shellArgs() []string {
	if len(f.scriptArgs) == 0 {
		return nil
	}
	return append([]string{"-c", f.script}, f.scriptArgs...)
}

// terminalFd returns the descriptor of in when it is a terminal, else -1.
func terminalFd(in io.Reader) int {
	f, ok := in.(*os.File)
	if !ok || !ttyhw.IsTerminal(int(f.Fd())) {
		return -1
	}
	return int(f.Fd())
}

// startSession starts init with the program at prog as its shell, or the
// echo loop when the program table has no such program. It returns where
// the session's status will be: -1 until it ends.
func startSession(sys *boot.System, prog string, args []string) (*int, error) {
	if _, ok := programs.Bin()[prog]; ok {
		run, err := sys.StartInit(sysinit.Options{Shell: prog, Argv: append([]string{path.Base(prog)}, args...)}, nil)
		if err != nil {
			return nil, err
		}
		return &run.Status, nil
	}
	status := -1
	_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "echoloop", Body: func(s ipc.Sys) { status = echoLoop(s, prog) }})
	return &status, err
}

// echoLoop is the console's smallest user: it says why it runs, then
// shows each line typed until "exit" or end of file.
func echoLoop(sys ipc.Sys, prog string) int {
	c, err := streamproto.Dial(sys, streamproto.TTY)
	if err != nil {
		return 1
	}
	h, err := c.OpenStream("", linux.O_RDWR)
	if err != nil {
		return 1
	}
	say := func(s string) { _, _ = c.Write(h, []byte(s)) }
	say(fmt.Sprintf("mkos: %s is not a program here; an echo loop runs instead (exit or ^D ends it)\n", prog))
	buf := make([]byte, 4096)
	for {
		say("echo> ")
		n, err := c.Read(h, buf)
		switch {
		case errors.Is(err, linux.EINTR):
			continue // ^C: a new line
		case err != nil || n == 0:
			return 0
		}
		line := strings.TrimRight(string(buf[:n]), "\n")
		if line == "exit" {
			return 0
		}
		say(line + "\n")
	}
}

// configureConsole applies --console and --console-input, and connects a
// console (from them or the file's console: section) to the command's
// standard output; --console types the standard input at it, as a
// script. `mkos shell` replaces the console with its own.
func (f *runFlags) configureConsole(cmd *cobra.Command, cfg *boot.Config) {
	set := cmd.Flags().Changed
	if cfg.Console == nil && (set("console") || set("console-input")) {
		cfg.Console = &boot.ConsoleConf{}
	}
	if cfg.Console == nil {
		return
	}
	c := *cfg.Console
	switch {
	case set("console-input"):
		c.Input = f.consoleInput
	case set("console"):
		c.In = cmd.InOrStdin()
	}
	c.Out = cmd.OutOrStdout()
	cfg.Console = &c
}
