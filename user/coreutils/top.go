package coreutils

import (
	"sort"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/rsproto"
)

// top [-n N] [-d SECONDS] prints N snapshots (1) of the system, SECONDS
// (1) of virtual time apart: the uptime, the processes by state, the
// services (state, restarts, requests and errors, from rs; without rs,
// just the names found on the bus), and the process table.
func top(u *U, args []string) int {
	opts, rest, err := options(args, "n:d:b")
	if err != nil || len(rest) > 0 {
		return u.usage("[-n N] [-d SECONDS]")
	}
	n, delay := 1, int64(1e9)
	if v, ok := opts['n']; ok {
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			return u.usage("[-n N] [-d SECONDS]")
		}
	}
	if v, ok := opts['d']; ok {
		d, err := ParseInterval(v)
		if err != nil {
			return u.usage("[-n N] [-d SECONDS]")
		}
		delay = int64(d)
	}
	for i := range n {
		if i > 0 {
			u.Out.Flush()
			_ = u.Sleep(delay)
			u.printf("\n")
		}
		if !snapshot(u) {
			return 1
		}
	}
	return 0
}

// wellKnown are the services top looks for on the bus.
var wellKnown = []string{"pm", "fs", "disk", "tty", "pipe", "memdev", "ds", "mm", "rs", "echo", "null"}

// snapshot prints one screen.
func snapshot(u *U) bool {
	procs, err := u.Ps()
	if err != nil {
		u.fail("%s", strerror(err))
		return false
	}
	states := map[pmproto.State]int{}
	for _, p := range procs {
		states[p.State]++
	}
	u.printf("top - up %s, %d processes: %d running, %d waiting, %d zombie\n", formatNs(u.Sys.Now()),
		len(procs), states[pmproto.Running], states[pmproto.Waiting], states[pmproto.Zombie])
	services(u)
	u.printf("\n")
	psTable(u, procs)
	return true
}

// services prints the services as rs sees them, or, without rs, the names
// of the well-known ones the bus has.
func services(u *U) {
	if c, err := rsproto.Dial(u.Sys); err == nil {
		if sts, err := c.List(); err == nil {
			u.printf("%-8s %-8s %8s %9s %7s\n", "SERVICE", "STATE", "RESTARTS", "REQUESTS", "ERRORS")
			for _, st := range sts {
				u.printf("%-8s %-8s %8d %9d %7d\n", st.Name, st.State, st.Restarts, st.Requests, st.Errors)
			}
			return
		}
	}
	var svcs []string
	for _, name := range wellKnown {
		if id, err := u.Sys.Lookup(name); err == nil {
			svcs = append(svcs, name+"("+strconv.Itoa(int(id))+")")
		}
	}
	sort.Strings(svcs)
	u.printf("services: %s\n", strings.Join(svcs, " "))
}
