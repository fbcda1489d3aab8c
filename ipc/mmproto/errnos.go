package mmproto

import (
	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc"
)

// Errnos are the errno values the memory manager answers with; a file mapping adds those of opening the file (fsproto's path errors). The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	unix.EINVAL, unix.ENOMEM, unix.EACCES, unix.EBADF, unix.ENODEV, unix.ESRCH, unix.ESTALE,
	unix.EFAULT, unix.EIO, unix.ENOSYS, unix.EPERM,
	// opening the file of a file mapping
	unix.ENOENT, unix.ENOTDIR, unix.EISDIR, unix.ELOOP, unix.ENAMETOOLONG, unix.EMFILE, unix.ENFILE,
	unix.EUCLEAN,
}
