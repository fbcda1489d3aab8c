package coreutils

import (
	"fmt"

	"github.com/mkos/mkos/ipc/pmproto"
)

// ps lists the processes from pm's table: pid, parent, process group,
// state (R running, S waiting for a child, Z zombie), start time (virtual,
// since boot) and program. pm cannot see CPU time, so there is no TIME.
func ps(u *U, args []string) int {
	if len(args) > 0 {
		return u.usage("")
	}
	procs, err := u.Ps()
	if err != nil {
		u.fail("%s", strerror(err))
		return 1
	}
	psTable(u, procs)
	return 0
}

// psTable prints the process table.
func psTable(u *U, procs []pmproto.ProcInfo) {
	u.printf("%5s %5s %5s S %9s COMMAND\n", "PID", "PPID", "PGID", "START")
	for _, p := range procs {
		u.printf("%5d %5d %5d %v %9s %s\n", p.Pid, p.Ppid, p.Pgid, p.State, formatNs(p.StartNs), p.Name)
	}
}

// formatNs renders virtual nanoseconds with a unit: 1.5ms, 2.25s.
func formatNs(ns int64) string {
	switch {
	case ns < 1_000:
		return fmt.Sprintf("%dns", ns)
	case ns < 1_000_000:
		return fmt.Sprintf("%.3gµs", float64(ns)/1e3)
	case ns < 1_000_000_000:
		return fmt.Sprintf("%.3gms", float64(ns)/1e6)
	}
	return fmt.Sprintf("%.3gs", float64(ns)/1e9)
}
