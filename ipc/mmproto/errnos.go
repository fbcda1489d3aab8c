package mmproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Errnos are the errno values the memory manager answers with; a file mapping adds those of opening the file (fsproto's path errors). The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	linux.EINVAL, linux.ENOMEM, linux.EACCES, linux.EBADF, linux.ENODEV, linux.ESRCH, linux.ESTALE,
	linux.EFAULT, linux.EIO, linux.ENOSYS, linux.EPERM,
	// opening the file of a file mapping
	linux.ENOENT, linux.ENOTDIR, linux.EISDIR, linux.ELOOP, linux.ENAMETOOLONG, linux.EMFILE, linux.ENFILE,
	linux.EUCLEAN,
}
