package programs

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/user/coreutils"
	"github.com/mkos/mkos/user/svcutil"
)

// Registry returns the programs by path, writing their output (and their
// error messages) to out.
func Registry(out io.Writer) map[string]pmproto.Program {
	return map[string]pmproto.Program{
		"/bin/true":  True,
		"/bin/false": False,
		"/bin/echo":  Echo(out),
		"/bin/sleep": Sleep(out),
		"/bin/ps":    Ps(out),
		"/bin/kill":  Kill(out),
		"/bin/svc":   svcutil.Svc(out),
		"/bin/crash": svcutil.Crash(out),
	}
}

// True exits with 0.
func True(ipc.Sys, []string, []string) int { return 0 }

// False exits with 1.
func False(ipc.Sys, []string, []string) int { return 1 }

// Echo prints its arguments separated by spaces; -n leaves out the
// newline.
func Echo(out io.Writer) pmproto.Program {
	return func(_ ipc.Sys, argv, _ []string) int {
		args, nl := argv[min(1, len(argv)):], "\n"
		if len(args) > 0 && args[0] == "-n" {
			args, nl = args[1:], ""
		}
		fmt.Fprint(out, strings.Join(args, " ")+nl)
		return 0
	}
}

// Sleep sleeps for the sum of its arguments in virtual time: seconds, or a
// number with a unit (s, m, h, d, or Go's ms, us, ns).
func Sleep(out io.Writer) pmproto.Program {
	return func(sys ipc.Sys, argv, _ []string) int {
		if len(argv) < 2 {
			fmt.Fprintln(out, "sleep: missing operand")
			return 1
		}
		var total time.Duration
		for _, a := range argv[1:] {
			d, err := coreutils.ParseInterval(a)
			if err != nil {
				fmt.Fprintf(out, "sleep: invalid time interval %q\n", a)
				return 1
			}
			total += d
		}
		if err := sys.Sleep(int64(total)); err != nil {
			return 1
		}
		return 0
	}
}
