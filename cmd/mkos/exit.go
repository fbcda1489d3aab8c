package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/user/workload"
)

// Exit statuses of mkos. With run -c and shell, a shell that finished
// gives its own status instead (so a shell's `exit 5` is 5): mkos's own
// statuses below then mean the shell did not finish.
const (
	exitOK         = 0
	exitError      = 1 // bad usage, a bad flag or file, an I/O error
	exitPanic      = 3 // a kernel panic halted the system
	exitStalled    = 4 // the watchdog stopped a task that ran without a system call
	exitTimeLimit  = 5 // --max-time (max_time:) was reached with work left
	exitUnfinished = 6 // the workload did not finish: clients or the shell still waiting, calls failed
	exitNoService  = 7 // a service the workload calls is not configured
)

// exitStatuses is every status, for `mkos help` and the README; a test
// checks both list each one.
var exitStatuses = []struct {
	code int
	says string
}{
	{exitOK, "the workload finished, or the shell (run -c, shell) exited 0"},
	{exitError, "an error: a bad flag, configuration or file; mkos says which"},
	{exitPanic, "a kernel panic halted the system (a server in the kernel failed)"},
	{exitStalled, "the watchdog stopped a task that ran its Go code too long without a system call (--watchdog)"},
	{exitTimeLimit, "the virtual time limit (--max-time, max_time:) was reached with work left"},
	{exitUnfinished, "the workload did not finish: a client or the shell never ended, or calls failed"},
	{exitNoService, "a service the workload calls is not in the configuration"},
}

// exitStatusHelp is the paragraph `mkos help` ends with.
func exitStatusHelp() string {
	var b strings.Builder
	b.WriteString("Exit status (run -c and shell exit with the shell's status when it finished):\n")
	for _, s := range exitStatuses {
		fmt.Fprintf(&b, "  %d  %s\n", s.code, s.says)
	}
	return b.String()
}

// stopped is how a run ended short of its end, other than a panic or a
// stall: mkos prints why and exits with code.
type stopped struct {
	code int
	why  string
}

func (s *stopped) Error() string { return s.why }

// exitCode maps what a command returned to mkos's exit status, and the
// message main prints first ("" for none: the command said it already).
func exitCode(err error) (int, string) {
	var p *kernel.Panic
	var stall *kernel.Stall
	var st exitStatus
	var s *stopped
	switch {
	case err == nil:
		return exitOK, ""
	case errors.As(err, &p):
		return exitPanic, ""
	case errors.As(err, &stall):
		return exitStalled, err.Error()
	case errors.As(err, &s):
		return s.code, s.why
	case errors.As(err, &st) && st > 0:
		return int(st), ""
	case errors.As(err, &st):
		return exitUnfinished, err.Error()
	}
	return exitError, err.Error()
}

// demoOutcome says whether the demo workload of a run that did not halt
// ended as it should: every client finished with right answers, within
// the time limit, calling services the configuration has.
func demoOutcome(cfg boot.Config, sum *boot.Summary) error {
	for _, name := range workload.Services {
		if cfg.Workload.Kind != boot.WorkloadPathfinder && cfg.Workload.Clients > 0 && !slices.ContainsFunc(cfg.Servers, func(s boot.ServerConf) bool { return s.Name == name }) {
			return &stopped{exitNoService, fmt.Sprintf("the demo workload calls the %s service, and the configuration has no %s server (add {name: %q} to servers:)", name, name, name)}
		}
	}
	wl := sum.Workload
	if sum.TimeLimitHit {
		return &stopped{exitTimeLimit, fmt.Sprintf("the time limit, %s of virtual time, was reached: %d/%d clients finished", kernel.FormatNs(int64(cfg.MaxTime)), wl.Finished, wl.Clients)}
	}
	failed := 0
	for _, n := range wl.Errors {
		failed += n
	}
	if wl.Finished < wl.Clients || wl.Wrong > 0 || failed > 0 {
		return &stopped{exitUnfinished, fmt.Sprintf("the workload did not finish cleanly: %d/%d clients finished, %d wrong answers, %d calls failed",
			wl.Finished, wl.Clients, wl.Wrong, failed)}
	}
	return nil
}

// shellOutcome is the error of a run -c or shell whose shell exited with
// status, -1 if it never did.
func shellOutcome(sys *boot.System, status int) error {
	switch {
	case status == 0:
		return nil
	case status > 0:
		return exitStatus(status)
	case sys.Kernel.TimeLimitHit():
		return &stopped{exitTimeLimit, fmt.Sprintf("the time limit, %s of virtual time, was reached: the shell did not finish", kernel.FormatNs(int64(sys.Config.MaxTime)))}
	}
	return exitStatus(status)
}
