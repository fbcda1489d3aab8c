package pmproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Errnos are the errno values the process manager answers with. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	linux.ESRCH, linux.ECHILD, linux.EINVAL, linux.ENOENT, linux.ENOEXEC, linux.EAGAIN, linux.E2BIG,
	linux.EPERM, linux.EACCES, linux.EINTR, linux.ENOMEM, linux.EFAULT, linux.EIO, linux.ENOSYS,
}
