package svcutil

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/rsproto"
)

const crashUsage = "usage: crash SERVICE [--hang | --garbage | --slow[=DURATION]] [--armed]"

// DefaultSlow is the delay --slow adds to a reply when it names none.
const DefaultSlow = 100 * time.Millisecond

// pokeSlack is how long crash waits for an answer beyond the delay it
// injected: a hung service is reported after it.
const pokeSlack = 10 * time.Millisecond

// Crash is the crash program: it arms a fault in a service through the
// reincarnation server (rsproto.Inject; root only) — a crash by default, or a hang, a scrambled reply
// or a slow one — and then makes the request the fault hits, a ping
// through the bus, and says what it saw. With --armed it only arms the
// fault: the next request someone makes hits it. In user space rs
// restarts the service; placed in the kernel, a crash is a kernel panic
// and a hang never returns.
func Crash(out io.Writer) pmproto.Program {
	return func(sys ipc.Sys, argv, _ []string) int {
		name, kind, param, armed, err := crashArgs(argv[min(1, len(argv)):])
		if err != nil {
			fmt.Fprintln(out, "crash:", err)
			fmt.Fprintln(out, crashUsage)
			return 2
		}
		if err := inject(sys, name, kind, param); err != nil {
			e := ipc.ErrnoOf(err)
			fmt.Fprintf(out, "crash: %s: %s (%s)\n", name, ipc.Explain(e), linux.ErrnoName(e))
			return 1
		}
		if armed {
			fmt.Fprintf(out, "crash: %s: %s armed: it hits the next request %s receives\n", name, kind, name)
			return 0
		}
		fmt.Fprintf(out, "crash: %s: %s\n", name, poke(sys, name, kind, param))
		return 0
	}
}

// inject asks rs, the fault controller, to arm the fault: a program has no
// privilege to arm one itself.
func inject(sys ipc.Sys, name string, kind ipc.Injection, param int64) error {
	c, err := rsproto.Dial(sys)
	if err != nil {
		return err
	}
	return c.Inject(name, kind, param)
}

// crashArgs parses crash's arguments.
func crashArgs(args []string) (name string, kind ipc.Injection, param int64, armed bool, err error) {
	kind = ipc.InjectCrash
	for _, a := range args {
		switch {
		case a == "--armed":
			armed = true
		case a == "--crash":
			kind = ipc.InjectCrash
		case a == "--hang":
			kind = ipc.InjectHang
		case a == "--garbage":
			kind = ipc.InjectGarbage
		case a == "--slow" || strings.HasPrefix(a, "--slow="):
			kind, param = ipc.InjectSlow, int64(DefaultSlow)
			if v, ok := strings.CutPrefix(a, "--slow="); ok {
				d, perr := time.ParseDuration(v)
				if perr != nil || d <= 0 {
					return "", 0, 0, false, fmt.Errorf("--slow=%s: not a positive duration like 50ms", v)
				}
				param = int64(d)
			}
		case strings.HasPrefix(a, "-"):
			return "", 0, 0, false, fmt.Errorf("unknown option %s", a)
		case name != "":
			return "", 0, 0, false, fmt.Errorf("one service at a time (%s and %s)", name, a)
		default:
			name = a
		}
	}
	if name == "" {
		return "", 0, 0, false, errors.New("which service?")
	}
	return name, kind, param, armed, nil
}

// poke makes the request the armed fault hits and describes the outcome.
func poke(sys ipc.Sys, name string, kind ipc.Injection, param int64) string {
	id, err := sys.Lookup(name)
	if err != nil {
		return "armed, but the service is gone: " + ipc.Explain(ipc.ErrnoOf(err))
	}
	wait := param + int64(pokeSlack)
	req, rep := ipc.Message{Type: ipc.Ping}, ipc.Message{}
	t0 := sys.Now()
	err = sys.CallWith(ipc.ServiceEndpoint(id), &req, &rep, &ipc.Extra{TimeoutNs: wait})
	took := FormatNs(sys.Now() - t0)
	e := ipc.ErrnoOf(err)
	switch {
	case errors.Is(err, ipc.ErrServiceDied):
		return fmt.Sprintf("crashed serving the request (%s); rs restarts it", linux.ErrnoName(e))
	case errors.Is(err, ipc.ErrTimeout) && kind == ipc.InjectHang:
		return fmt.Sprintf("hung: no answer in %s; rs kills and restarts it when a ping goes unanswered", took)
	case errors.Is(err, ipc.ErrTimeout):
		return fmt.Sprintf("no answer in %s (%s)", took, linux.ErrnoName(e))
	case err != nil:
		return fmt.Sprintf("the request failed: %s (%s)", ipc.Explain(e), linux.ErrnoName(e))
	case kind == ipc.InjectGarbage:
		return fmt.Sprintf("answered with a scrambled reply (type %#x, errno %d, len %d)", uint16(rep.Type), rep.Errno, rep.Len)
	case kind == ipc.InjectSlow:
		return "answered after " + took
	}
	return "answered: the fault did not hit this request (another request took it)"
}
