package diskproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Errnos are the errno values the disk driver answers with (ENODEV: no
// device attached to it). The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	linux.EINVAL, linux.ENOSPC, linux.EIO, linux.EBUSY, linux.EFAULT, linux.ENODEV, linux.ENOSYS,
}
