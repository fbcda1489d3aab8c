package programs

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/pmproto"
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
		sig, pids, err := killArgs(argv[min(1, len(argv)):])
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

// killArgs parses kill's arguments; -l gives signal 0 and no pids.
func killArgs(args []string) (unix.Signal, []int, error) {
	sig := unix.SIGTERM
	switch {
	case len(args) > 0 && args[0] == "-l":
		return 0, nil, nil
	case len(args) > 1 && args[0] == "-s":
		s, err := parseSignal(args[1])
		if err != nil {
			return 0, nil, err
		}
		sig, args = s, args[2:]
	case len(args) > 0 && args[0] == "--":
		args = args[1:]
	case len(args) > 0 && strings.HasPrefix(args[0], "-"):
		s, err := parseSignal(args[0][1:])
		if err != nil {
			return 0, nil, err
		}
		sig, args = s, args[1:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return 0, nil, fmt.Errorf("usage: kill [-s SIGNAL | -SIGNAL] PID...")
	}
	var pids []int
	for _, a := range args {
		pid, err := strconv.Atoi(a)
		if err != nil {
			return 0, nil, fmt.Errorf("%s: arguments must be process or job IDs", a)
		}
		pids = append(pids, pid)
	}
	return sig, pids, nil
}

// parseSignal reads "9", "KILL" or "SIGKILL".
func parseSignal(s string) (unix.Signal, error) {
	if n, err := strconv.Atoi(s); err == nil && (n == 0 || pmproto.ValidSignal(unix.Signal(n))) {
		return unix.Signal(n), nil
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig := unix.SignalNum(name); sig != 0 && pmproto.ValidSignal(sig) {
		return sig, nil
	}
	return 0, fmt.Errorf("%s: invalid signal specification", s)
}

// listSignals prints the signal names, as kill -l does.
func listSignals(out io.Writer) {
	var names []string
	for sig := unix.Signal(1); sig < pmproto.NSig; sig++ {
		names = append(names, fmt.Sprintf("%2d) %s", sig, unix.SignalName(sig)))
	}
	fmt.Fprintln(out, strings.Join(names, " "))
}
