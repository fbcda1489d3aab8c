package netproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Errnos are the errno values the net server answers with: socket(2)'s,
// bind(2)'s, connect(2)'s, accept(2)'s, send(2)'s and recv(2)'s, and the
// stream protocol's for reads and writes on a socket. The client stubs
// turn any other errno a reply carries into ipc.ErrBadReply (EIO); a
// program may also see the kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	linux.EBADF, linux.EINVAL, linux.EFAULT, linux.EIO, linux.ENOSYS, linux.ENOENT, linux.ENOTTY,
	linux.EAGAIN, linux.EPIPE, linux.ENFILE, linux.ENOMEM, linux.ENOBUFS, linux.EACCES, linux.EPERM,
	linux.EAFNOSUPPORT, linux.EPROTONOSUPPORT, linux.ESOCKTNOSUPPORT, linux.EPROTOTYPE, linux.EOPNOTSUPP,
	linux.EADDRINUSE, linux.EADDRNOTAVAIL, linux.EISCONN, linux.ENOTCONN, linux.EALREADY, linux.EINPROGRESS,
	linux.ECONNREFUSED, linux.ECONNRESET, linux.ECONNABORTED, linux.ETIMEDOUT,
	linux.EHOSTUNREACH, linux.ENETUNREACH, linux.ENETDOWN, linux.EMSGSIZE, linux.EDESTADDRREQ,
}
