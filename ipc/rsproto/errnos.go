package rsproto

import (
	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc"
)

// Errnos are the errno values the reincarnation server answers with. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	unix.ENOENT, unix.EINVAL, unix.EAGAIN, unix.EALREADY, unix.EPERM, unix.EIO, unix.ETIMEDOUT,
	unix.EFAULT, unix.ENOSYS,
}
