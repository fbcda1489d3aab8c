package programs

import (
	"fmt"
	"io"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/user/coreutils"
)

// Ps lists the processes: pid, parent, group, state (R running, S waiting
// for a child, Z zombie) and program name. pm cannot see CPU time, so
// there is no TIME column.
func Ps(out io.Writer) pmproto.Program {
	return func(sys ipc.Sys, _, _ []string) int {
		c, err := pmproto.Dial(sys)
		if err != nil {
			fmt.Fprintln(out, "ps:", err)
			return 1
		}
		ps, err := c.Ps()
		if err != nil {
			fmt.Fprintln(out, "ps:", err)
			return 1
		}
		fmt.Fprintf(out, "%5s %5s %5s S COMMAND\n", "PID", "PPID", "PGID")
		for _, p := range ps {
			fmt.Fprintf(out, "%5d %5d %5d %v %s\n", p.Pid, p.Ppid, p.Pgid, p.State, p.Name)
		}
		return 0
	}
}

// Kill sends a signal (TERM unless -SIG, -NUM or -s SIG says otherwise)
// to each pid; a negative pid names a process group. kill -l lists the
// signals.
func Kill(out io.Writer) pmproto.Program {
	return func(sys ipc.Sys, argv, _ []string) int {
		sig, pids, err := coreutils.KillArgs(argv[min(1, len(argv)):])
		if err != nil {
			fmt.Fprintln(out, "kill:", err)
			return 1
		}
		if sig == 0 && pids == nil {
			listSignals(out)
			return 0
		}
		c, err := pmproto.Dial(sys)
		if err != nil {
			fmt.Fprintln(out, "kill:", err)
			return 1
		}
		status := 0
		for _, pid := range pids {
			if err := c.Kill(pid, sig); err != nil {
				fmt.Fprintf(out, "kill: (%d) - %v\n", pid, err)
				status = 1
			}
		}
		return status
	}
}

// listSignals prints the signal names, as kill -l does.
func listSignals(out io.Writer) {
	var names []string
	for sig := linux.Signal(1); sig < pmproto.NSig; sig++ {
		names = append(names, fmt.Sprintf("%2d) %s", sig, linux.SignalName(sig)))
	}
	fmt.Fprintln(out, strings.Join(names, " "))
}
