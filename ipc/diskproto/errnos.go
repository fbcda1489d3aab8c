package diskproto

import (
	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc"
)

// Errnos are the errno values the disk driver answers with (ENODEV: no
// device attached to it). The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	unix.EINVAL, unix.ENOSPC, unix.EIO, unix.EBUSY, unix.EFAULT, unix.ENODEV, unix.ENOSYS,
}
