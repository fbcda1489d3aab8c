package wasi

import (
	"errors"
	"io"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	wsys "github.com/tetratelabs/wazero/experimental/sys"
)

// errnos maps the Linux errno values mkos's servers answer with to
// wazero's, which become WASI's. WASI has no ENOSPC, EMFILE, EPIPE, ESTALE
// or ENXIO in wazero's set: they reach the program as EIO (see toErrno).
var errnos = map[ipc.Errno]wsys.Errno{
	linux.EACCES:       wsys.EACCES,
	linux.EAGAIN:       wsys.EAGAIN,
	linux.EBADF:        wsys.EBADF,
	linux.EEXIST:       wsys.EEXIST,
	linux.EFAULT:       wsys.EFAULT,
	linux.EINTR:        wsys.EINTR,
	linux.EINVAL:       wsys.EINVAL,
	linux.EIO:          wsys.EIO,
	linux.EISDIR:       wsys.EISDIR,
	linux.ELOOP:        wsys.ELOOP,
	linux.ENAMETOOLONG: wsys.ENAMETOOLONG,
	linux.ENOENT:       wsys.ENOENT,
	linux.ENOSYS:       wsys.ENOSYS,
	linux.ENOTDIR:      wsys.ENOTDIR,
	linux.ERANGE:       wsys.ERANGE,
	linux.ENOTEMPTY:    wsys.ENOTEMPTY,
	linux.ENOTSUP:      wsys.ENOTSUP,
	linux.EPERM:        wsys.EPERM,
	linux.EROFS:        wsys.EROFS,
}

// toErrno turns an error of the system-call library into wazero's errno:
// nil is 0, a Linux errno its WASI twin, anything else EIO.
func toErrno(err error) wsys.Errno {
	if err == nil {
		return 0
	}
	if errors.Is(err, io.EOF) {
		return 0
	}
	var e ipc.Errno
	if errors.As(err, &e) {
		if w, ok := errnos[e]; ok {
			return w
		}
	}
	return wsys.EIO
}
