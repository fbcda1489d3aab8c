package rsproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Errnos are the errno values the reincarnation server answers with. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	linux.ENOENT, linux.EINVAL, linux.EAGAIN, linux.EALREADY, linux.EPERM, linux.EIO, linux.ETIMEDOUT,
	linux.EFAULT, linux.ENOSYS,
	linux.EBADF, linux.ENOSPC, // LogStream: a stream rs cannot accept
}
