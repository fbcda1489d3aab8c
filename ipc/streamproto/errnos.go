package streamproto

import (
	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc"
)

// Errnos are the errno values every stream service (the console, the tty driver, the memory devices, the pipe server) answers with. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	unix.ENOENT, unix.EBADF, unix.EINVAL, unix.ENAMETOOLONG, unix.ENFILE, unix.ENOTTY,
	unix.EPIPE, unix.EAGAIN, unix.EBUSY, unix.EINTR, unix.EIO, unix.ENOSPC, unix.EFAULT,
	unix.EACCES, unix.EPERM, unix.ENODEV, unix.ENOSYS,
}
