package fsproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Errnos are the errno values the file server answers with: the path, descriptor and space errors of POSIX file calls, EIO when the disk failed or a reply could not be believed, EUCLEAN for a file system fsck must repair. The client stubs turn any other errno
// a reply carries into ipc.ErrBadReply (EIO); a program may also see the
// kernel's own, ipc.CallErrnos.
var Errnos = ipc.Errnos{
	linux.ENOENT, linux.EEXIST, linux.ENOTDIR, linux.EISDIR, linux.ENOTEMPTY, linux.EBADF,
	linux.ENOSPC, linux.ENAMETOOLONG, linux.EINVAL, linux.ELOOP, linux.EMLINK, linux.EFBIG,
	linux.EMFILE, linux.ENFILE, linux.ESTALE, linux.EUCLEAN, linux.EIO, linux.EROFS, linux.EBUSY,
	linux.ENODEV, linux.EPERM, linux.EACCES, linux.EXDEV, linux.EFAULT, linux.ENOSYS,
}
