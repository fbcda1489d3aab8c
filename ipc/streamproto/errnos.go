package streamproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Errnos are the errno values every stream service (the console, the tty
// driver, the memory devices, the pipe server, the net server for reads
// and writes on sockets) answers with. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	linux.ENOENT, linux.EBADF, linux.EINVAL, linux.ENAMETOOLONG, linux.ENFILE, linux.ENOTTY,
	linux.EPIPE, linux.EAGAIN, linux.EBUSY, linux.EINTR, linux.EIO, linux.ENOSPC, linux.EFAULT,
	linux.EACCES, linux.EPERM, linux.ENODEV, linux.ENOSYS,
	// A socket's (the net server): its connection was reset, is not (or
	// no longer) connected, timed out or was refused; a datagram too big.
	linux.ECONNRESET, linux.ENOTCONN, linux.ETIMEDOUT, linux.ECONNREFUSED,
	linux.ECONNABORTED, linux.EHOSTUNREACH, linux.ENETUNREACH, linux.EMSGSIZE,
	linux.EDESTADDRREQ, linux.ENOBUFS,
}
