package coreutils

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/rsproto"
)

// ps lists the processes from pm's table: pid, parent, process group,
// state (R running, S waiting for a child, Z zombie), start time (virtual,
// since boot), CPU time used (TIME: its own computing and the kernel's
// work for it, virtual; a zombie's as at its exit) and program.
// With -m it adds each process's memory from mm: resident and virtual
// pages, pages in swap, and minor and major page faults ("-" without mm).
// With -e it also lists the servers, from rs: each one's tasks and where
// it runs — "kernel", "user" (a task), or "process:PID" for a server in a
// host process of its own, with its host PID.
func ps(u *U, args []string) int {
	opts, rest, err := options(args, "em")
	if err != nil || len(rest) > 0 {
		return u.usage("[-em]")
	}
	if _, every := opts['e']; every {
		defer psServers(u)
	}
	procs, err := u.Ps()
	if err != nil {
		u.fail("%s", strerror(err))
		return 1
	}
	if _, mem := opts['m']; mem {
		psMemTable(u, procs)
		return 0
	}
	psTable(u, procs)
	return 0
}

// psMemTable prints the process table with mm's memory counters.
func psMemTable(u *U, procs []pmproto.ProcInfo) {
	m, mmErr := mmproto.Dial(u.Sys)
	u.printf("%5s %5s %5s %5s %6s %6s %s\n", "PID", "RSS", "VSZ", "SWAP", "MINFLT", "MAJFLT", "COMMAND")
	for _, p := range procs {
		if mmErr != nil {
			u.printf("%5d %5s %5s %5s %6s %6s %s\n", p.Pid, "-", "-", "-", "-", "-", p.Name)
			continue
		}
		st, err := m.TaskStats(p.Task)
		if errors.Is(err, linux.ESRCH) {
			err = nil // mm has never seen it: a process that touched no memory
		}
		if err != nil {
			u.printf("%5d %5s %5s %5s %6s %6s %s\n", p.Pid, "-", "-", "-", "-", "-", p.Name)
			continue
		}
		u.printf("%5d %5d %5d %5d %6d %6d %s\n", p.Pid, st.Resident, st.Virtual, st.Swapped, st.Minor, st.Major, p.Name)
	}
}

// psServers prints the servers rs knows, after the processes.
func psServers(u *U) {
	c, err := rsproto.Dial(u.Sys)
	if err != nil {
		u.fail("servers: %s", strerror(err))
		return
	}
	sts, err := c.List()
	if err != nil {
		u.fail("servers: %s", strerror(err))
		return
	}
	u.printf("\n%-8s %-8s %-14s %s\n", "SERVER", "STATE", "WHERE", "TASKS")
	for _, st := range sts {
		tasks := make([]string, len(st.Instances))
		for i, ep := range st.Instances {
			tasks[i] = ep.String()
		}
		if len(tasks) == 0 {
			tasks = []string{"-"}
		}
		u.printf("%-8s %-8s %-14s %s\n", st.Name, st.State, st.Where(), strings.Join(tasks, ","))
	}
}

// where says where a server runs: its placement, and for a host process
// psTable prints the process table.
func psTable(u *U, procs []pmproto.ProcInfo) {
	u.printf("%5s %5s %5s S %9s %9s COMMAND\n", "PID", "PPID", "PGID", "START", "TIME")
	for _, p := range procs {
		u.printf("%5d %5d %5d %v %9s %9s %s\n", p.Pid, p.Ppid, p.Pgid, p.State, formatNs(p.StartNs), formatNs(p.CPUNs), p.Name)
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
