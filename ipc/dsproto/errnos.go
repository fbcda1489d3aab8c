package dsproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Errnos are the errno values the data store answers with. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	linux.ENOENT, linux.EINVAL, linux.E2BIG, linux.ERANGE, linux.ENOSPC, linux.ESTALE, linux.EIO,
	linux.EMSGSIZE, linux.EFAULT, linux.ENOSYS, linux.EPERM,
}
