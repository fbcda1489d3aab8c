package echoproto

import (
	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc"
)

// Errnos are the errno values the echo server answers with. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	unix.EMSGSIZE, unix.EFAULT, unix.EPERM, unix.EIO, unix.ENOSYS,
}
