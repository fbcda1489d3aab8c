package sh

import (
	"errors"
	"io"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/user/svcutil"
)

// The svc builtin: svc (user/svcutil) run inside the shell, so that the
// services can still be listed and started when pm is stopped and no
// program can be spawned — `svc stop pm`, then `svc start pm`.

func init() { builtins["svc"] = (*Shell).svc }

// svc runs the svc program in the shell's own task, talking to rs
// directly.
func (s *Shell) svc(argv []string, io stdio) int {
	return svcutil.Svc(s.outWriter(io))(s.p.Sys, argv, nil)
}

// outWriter is the builtin's standard output as a writer (a failed
// write is reported by runBuiltin); it discards when there is none.
func (s *Shell) outWriter(std stdio) io.Writer {
	if fd := std.fd(1); fd >= 0 {
		return shellOut{s, fd}
	}
	return io.Discard
}

// shellOut is a descriptor of the shell as a writer whose failures
// runBuiltin reports.
type shellOut struct {
	s  *Shell
	fd int
}

func (o shellOut) Write(b []byte) (int, error) { return o.s.noteWrite(o.fd, b) }

// pmStopped reports whether a spawn failed because no process manager
// answered: pm was stopped (svc stop pm) or is restarting.
func pmStopped(err error) bool { return errors.Is(err, ipc.ErrNoInstance) }

// pmStoppedHint is what the shell says when pmStopped.
const pmStoppedHint = "cannot start: the process manager (pm) is not running; `svc start pm` starts it again (svc is a builtin)"
