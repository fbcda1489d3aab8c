package netcmd

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/user/ulib"
)

// errText renders an error for a message, as the system-call library
// does.
func errText(err error) string { return ulib.Strerror(err) }

// isErrno reports whether err is errno e.
func isErrno(err error, e ipc.Errno) bool {
	var got ipc.Errno
	return errors.As(err, &got) && got == e
}
