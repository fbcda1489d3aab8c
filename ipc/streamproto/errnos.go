package streamproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Errnos are the errno values every stream service (the console, the tty driver, the memory devices, the pipe server) answers with. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	linux.ENOENT, linux.EBADF, linux.EINVAL, linux.ENAMETOOLONG, linux.ENFILE, linux.ENOTTY,
	linux.EPIPE, linux.EAGAIN, linux.EBUSY, linux.EINTR, linux.EIO, linux.ENOSPC, linux.EFAULT,
	linux.EACCES, linux.EPERM, linux.ENODEV, linux.ENOSYS,
}
