package dsproto

import (
	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc"
)

// Errnos are the errno values the data store answers with. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	unix.ENOENT, unix.EINVAL, unix.E2BIG, unix.ERANGE, unix.ENOSPC, unix.ESTALE, unix.EIO,
	unix.EMSGSIZE, unix.EFAULT, unix.ENOSYS, unix.EPERM,
}
