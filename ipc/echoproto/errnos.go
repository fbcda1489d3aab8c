package echoproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Errnos are the errno values the echo server answers with. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	linux.EMSGSIZE, linux.EFAULT, linux.EPERM, linux.EIO, linux.ENOSYS,
	linux.EINVAL, linux.EBADF, linux.ENOSPC, // Stream
}
