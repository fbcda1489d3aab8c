package coreutils

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// kill [-s SIG | -SIG] PID... sends a signal (TERM by default) to each
// process; a negative pid names a process group. kill -l lists the
// signals.
func kill(u *U, args []string) int {
	sig, pids, err := KillArgs(args)
	if err != nil {
		u.fail("%v", err)
		return 1
	}
	if sig == 0 && pids == nil {
		listSignals(u)
		return 0
	}
	for _, pid := range pids {
		if err := u.Kill(pid, sig); err != nil {
			u.fail("(%d) - %s", pid, strerror(err))
		}
	}
	return 0
}

// KillArgs parses kill's arguments; -l gives signal 0 and no pids.
func KillArgs(args []string) (linux.Signal, []int, error) {
	sig := linux.SIGTERM
	switch {
	case len(args) > 0 && args[0] == "-l":
		return 0, nil, nil
	case len(args) > 1 && args[0] == "-s":
		s, err := ParseSignal(args[1])
		if err != nil {
			return 0, nil, err
		}
		sig, args = s, args[2:]
	case len(args) > 0 && args[0] == "--":
		args = args[1:]
	case len(args) > 0 && strings.HasPrefix(args[0], "-"):
		s, err := ParseSignal(args[0][1:])
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

// ParseSignal reads "9", "KILL" or "SIGKILL".
func ParseSignal(s string) (linux.Signal, error) {
	if n, err := strconv.Atoi(s); err == nil && (n == 0 || pmproto.ValidSignal(linux.Signal(n))) {
		return linux.Signal(n), nil
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig := linux.SignalNum(name); sig != 0 && pmproto.ValidSignal(sig) {
		return sig, nil
	}
	return 0, fmt.Errorf("%s: invalid signal specification", s)
}

// listSignals prints the signal names, as kill -l does.
func listSignals(u *U) {
	var names []string
	for sig := linux.Signal(1); sig < pmproto.NSig; sig++ {
		names = append(names, fmt.Sprintf("%2d) %s", sig, linux.SignalName(sig)))
	}
	u.printf("%s\n", strings.Join(names, " "))
}
