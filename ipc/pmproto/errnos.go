package pmproto

import (
	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc"
)

// Errnos are the errno values the process manager answers with. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	unix.ESRCH, unix.ECHILD, unix.EINVAL, unix.ENOENT, unix.ENOEXEC, unix.EAGAIN, unix.E2BIG,
	unix.EPERM, unix.EACCES, unix.EINTR, unix.ENOMEM, unix.EFAULT, unix.EIO, unix.ENOSYS,
}
