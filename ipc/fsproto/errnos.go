package fsproto

import (
	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc"
)

// Errnos are the errno values the file server answers with: the path, descriptor and space errors of POSIX file calls, EIO when the disk failed or a reply could not be believed, EUCLEAN for a file system fsck must repair. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	unix.ENOENT, unix.EEXIST, unix.ENOTDIR, unix.EISDIR, unix.ENOTEMPTY, unix.EBADF,
	unix.ENOSPC, unix.ENAMETOOLONG, unix.EINVAL, unix.ELOOP, unix.EMLINK, unix.EFBIG,
	unix.EMFILE, unix.ENFILE, unix.ESTALE, unix.EUCLEAN, unix.EIO, unix.EROFS, unix.EBUSY,
	unix.ENODEV, unix.EPERM, unix.EACCES, unix.EXDEV, unix.EFAULT, unix.ENOSYS,
}
