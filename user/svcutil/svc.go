package svcutil

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/gatewayproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/rsproto"
)

const svcUsage = "usage: svc list | svc show NAME | svc log [-f N] | svc watch N | svc stats [--json] [NAME] | svc scale NAME N | svc restart NAME | svc stop NAME | svc start NAME | svc replace NAME IMPL | svc update NAME [IMPL] | svc move NAME NODE"

// Svc is the svc program: it asks rs to list services or show one with
// its privileges, for the bus's metrics (stats), to restart, stop, start,
// replace, live-update or scale one (root only), or for the restart log. Exit status 0 on success, 1 when rs refuses, 2 on
// a usage error.
func Svc(out io.Writer) pmproto.Program {
	return func(sys ipc.Sys, argv, _ []string) int {
		args := argv[min(1, len(argv)):]
		if len(args) == 0 || !validArgs(args) {
			fmt.Fprintln(out, svcUsage)
			return 2
		}
		if args[0] == "move" {
			return move(out, sys, args[1], args[2])
		}
		c, err := rsproto.Dial(sys)
		if err != nil {
			fmt.Fprintln(out, "svc: no reincarnation server: every server is in the kernel, or rs is not running")
			return 1
		}
		if err := runSvc(out, c, args); err != nil {
			if errors.Is(err, errRolledBack) {
				return 1
			}
			if cr, cerr := sys.Cred(sys.Self()); cerr == nil && !cr.IsRoot() && errors.Is(err, linux.EPERM) {
				args = append(args, "", "")
				args[1] = "(not root)"
			}
			fmt.Fprintf(out, "svc: %s: %s\n", strings.TrimSpace(strings.Join(args, " ")), explain(args, err))
			return 1
		}
		return 0
	}
}

// validArgs checks the command and its number of arguments.
func validArgs(args []string) bool {
	if args[0] == "stats" {
		return statsArgsOK(args)
	}
	if args[0] == "log" && len(args) == 3 && args[1] == "-f" {
		n, err := strconv.Atoi(args[2])
		return err == nil && n > 0
	}
	if args[0] == "watch" && len(args) == 2 {
		n, err := strconv.Atoi(args[1])
		return err == nil && n > 0
	}
	n := map[string]int{"scale": 3, "list": 1, "ls": 1, "show": 2, "log": 1, "restart": 2, "stop": 2, "start": 2, "replace": 3, "update": 3, "move": 3}[args[0]]
	return n == len(args) || args[0] == "update" && len(args) == 2
}

func runSvc(out io.Writer, c rsproto.Client, args []string) error {
	switch args[0] {
	case "list", "ls":
		sts, err := c.List()
		if err == nil {
			writeList(out, sts)
		}
		return err
	case "show":
		return show(out, c, args[1])
	case "stats":
		return stats(out, c, args[1:])
	case "watch":
		return watch(out, c, args[1])
	case "scale":
		return scale(out, c, args[1], args[2])
	case "log":
		if len(args) == 3 {
			return follow(out, c, args[2])
		}
		log, err := c.Log()
		if err == nil {
			writeLog(out, log)
		}
		return err
	case "restart":
		old, new, err := c.Restart(args[1])
		if err == nil {
			fmt.Fprintf(out, "%s restarted: %s → %s\n", args[1], task(old), task(new))
		}
		return err
	case "stop":
		err := c.Stop(args[1])
		if err == nil {
			fmt.Fprintf(out, "%s stopped\n", args[1])
		}
		return err
	case "start":
		ep, err := c.Start(args[1])
		if err == nil {
			fmt.Fprintf(out, "%s started: %s\n", args[1], task(ep))
		}
		return err
	case "update":
		return update(out, c, args[1:])
	}
	old, new, err := c.Replace(args[1], args[2])
	if err == nil {
		fmt.Fprintf(out, "%s now runs %s: %s → %s\n", args[1], args[2], task(old), task(new))
	}
	return err
}

// move asks this node's gateway to move service name to node, with its
// state (a cluster's node only; docs/cluster.md).
func move(out io.Writer, sys ipc.Sys, name, node string) int {
	gw, err := ipc.Dial(sys, gatewayproto.Name)
	if err == nil {
		err = gatewayproto.MoveTo(sys, gw, name, node)
	}
	switch {
	case err == nil:
		fmt.Fprintf(out, "%s moved to node %s\n", name, node)
		return 0
	case errors.Is(err, linux.ENOENT) && gw == 0:
		fmt.Fprintln(out, "svc: move: this system is not a node of a cluster (no gateway)")
	case errors.Is(err, linux.ENOENT):
		fmt.Fprintf(out, "svc: move %s %s: %s does not run on this node\n", name, node, name)
	case errors.Is(err, linux.EINVAL):
		fmt.Fprintf(out, "svc: move %s %s: not a valid service and node (or the node is this one)\n", name, node)
	default:
		fmt.Fprintf(out, "svc: move %s %s: %v (the target must have %s configured, standby: true)\n", name, node, err, name)
	}
	return 1
}

// errRolledBack is svc update's failure when rs rolled the update back.
var errRolledBack = errors.New("rolled back")

// update asks rs for a live update of args[0] (to implementation args[1])
// and says how it went; a rolled-back update prints rs's reason from the
// log and fails.
func update(out io.Writer, c rsproto.Client, args []string) error {
	name, impl := args[0], ""
	if len(args) > 1 {
		impl = args[1]
	}
	r, err := c.Update(name, impl)
	if err != nil {
		return err
	}
	switch r.How {
	case rsproto.Moved:
		fmt.Fprintf(out, "%s updated: %s → %s, state v%d (%d bytes) moved, no request lost\n", name, task(r.Old), task(r.New), r.Version, r.Bytes)
	case rsproto.Restarted:
		fmt.Fprintf(out, "%s updated by restart: %s → %s (it hands over no state: what it held in memory is lost)\n", name, task(r.Old), task(r.New))
	default:
		why := "see svc log"
		if log, err := c.Log(); err == nil {
			for _, e := range log {
				if e.Service == name {
					why, _, _ = strings.Cut(e.Cause, " requested by ")
				}
			}
		}
		fmt.Fprintf(out, "svc: update %s: %s; %s still serves\n", name, why, task(r.Old))
		return errRolledBack
	}
	return nil
}

// explain says why rs refused a request, in the request's words.
func explain(args []string, err error) string {
	e := ipc.ErrnoOf(err)
	args = append(args, "", "")
	var why string
	switch {
	case e == linux.ENOENT && (args[0] == "replace" || args[0] == "update" && args[2] != ""):
		why = fmt.Sprintf("no service %s or no implementation %s", args[1], args[2])
	case e == linux.ENOENT:
		why = "no such service"
	case e == linux.EPERM && args[1] == "(not root)":
		why = "only root may change services or arm faults"
	case e == linux.EPERM && args[1] == rsproto.Name:
		why = "rs can only be restarted"
	case e == linux.EPERM:
		why = args[1] + " is placed in the kernel: it cannot stop or restart without the system"
	case e == linux.EALREADY:
		why = args[1] + " is already running"
	case e == linux.EINVAL && args[0] == "scale":
		why = fmt.Sprintf("%s cannot run %s instances (1..%d, not a server placed in the kernel)", args[1], args[2], rsproto.MaxInstances)
	case e == linux.EAGAIN && args[0] == "update":
		why = args[1] + " has no instance running, or is being updated"
	case e == linux.EINVAL && (args[0] == "replace" || args[0] == "update"):
		why = fmt.Sprintf("%s does not speak the %s protocol", args[2], args[1])
	case errors.Is(err, ipc.ErrNoInstance):
		why = "rs did not answer in time"
	default:
		why = ipc.Explain(e)
	}
	return fmt.Sprintf("%s (%s)", why, linux.ErrnoName(e))
}

// show prints one service, its privileges and who may call it.
func show(out io.Writer, c rsproto.Client, name string) error {
	sts, err := c.List()
	if err != nil {
		return err
	}
	for _, st := range sts {
		if st.Name != name {
			continue
		}
		impl, callers, priv := st.Impl, st.Callers, st.Priv
		if impl == "" {
			impl = "-"
		}
		if callers == "" {
			callers = "anyone"
		}
		if priv == "kernel" {
			priv = "the kernel's: placed in the kernel, its code runs inside its callers' traps"
		}
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "service\t%s\nstate\t%s\nplacement\t%s\nimpl\t%s\ntasks\t%s\n", st.Name, st.State, st.Where(), impl, tasks(st.Instances))
		fmt.Fprintf(tw, "privileges\t%s\ncallers\t%s\n", priv, callers)
		return tw.Flush()
	}
	return linux.ENOENT
}

// writeList prints the services as aligned columns.
func writeList(out io.Writer, sts []rsproto.Status) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE\tSTATE\tPLACEMENT\tIMPL\tTASK\tRESTARTS\tUPTIME\tREQUESTS\tERRORS\tLAST DEATH")
	for _, st := range sts {
		impl, up := st.Impl, "-"
		if impl == "" {
			impl = "-"
		}
		if st.UptimeNs > 0 {
			up = FormatNs(st.UptimeNs)
		}
		cause := st.Cause
		if cause == "" {
			cause = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%d\t%s\n", st.Name, st.State, st.Where(), impl, tasks(st.Instances),
			st.Restarts, up, st.Requests, st.Errors, cause)
	}
	tw.Flush()
}

// writeLog prints the restart log as aligned columns.
func writeLog(out io.Writer, log []rsproto.LogEntry) {
	if len(log) == 0 {
		fmt.Fprintln(out, "no restarts")
		return
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tSERVICE\tOLD\tNEW\tDOWN\tCAUSE")
	for _, e := range log {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", FormatNs(e.TimeNs), e.Service, task(e.Old), task(e.New),
			FormatNs(e.TimeNs-e.DiedNs), e.Cause)
	}
	tw.Flush()
}

func task(ep ipc.Endpoint) string {
	if ep == 0 {
		return "-"
	}
	return ep.String()
}

func tasks(eps []ipc.Endpoint) string {
	if len(eps) == 0 {
		return "-"
	}
	s := make([]string, len(eps))
	for i, ep := range eps {
		s[i] = ep.String()
	}
	return strings.Join(s, ",")
}

// FormatNs renders virtual nanoseconds as the kernel's summaries do:
// 1.500s, 20.000µs, 300ns.
func FormatNs(ns int64) string {
	switch {
	case ns >= 1e9:
		return strconv.FormatFloat(float64(ns)/1e9, 'f', 3, 64) + "s"
	case ns >= 1e6:
		return strconv.FormatFloat(float64(ns)/1e6, 'f', 3, 64) + "ms"
	case ns >= 1e3:
		return strconv.FormatFloat(float64(ns)/1e3, 'f', 3, 64) + "µs"
	}
	return strconv.FormatInt(ns, 10) + "ns"
}
