package nicproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Errnos are the errno values the NIC driver answers with. The client
// stubs turn any other errno a reply carries into ipc.ErrBadReply (EIO); a
// program may also see the kernel's own, ipc.CallErrnos (EAGAIN, which is
// also ipc.ErrNoInstance, among them).
var Errnos = ipc.Errnos{
	linux.EINVAL, linux.EFAULT, linux.EMSGSIZE, linux.ENETDOWN, linux.ENOBUFS, linux.EAGAIN,
	linux.EIO, linux.ENODEV, linux.ENOSYS, linux.EBUSY,
}
