package linux

import (
	"io/fs"
	"strconv"
)

// Errno is a Linux errno value; every simulated system call fails with one.
// Its Error text is Linux's own, the same on every host, and
// errors.Is(err, linux.ENOENT) works on errors that wrap one.
type Errno uint32

// Error returns Linux's text for e ("no such file or directory"), or
// "errno N" for a number Linux does not define.
func (e Errno) Error() string {
	if int(e) < len(errnoTable) && errnoTable[e].text != "" {
		return errnoTable[e].text
	}
	return "errno " + strconv.FormatUint(uint64(e), 10)
}

// Is lets errors.Is match e against the io/fs sentinel errors, as the
// host's syscall.Errno does: ENOENT is fs.ErrNotExist, EEXIST and
// ENOTEMPTY are fs.ErrExist, EACCES and EPERM are fs.ErrPermission.
func (e Errno) Is(target error) bool {
	switch target {
	case fs.ErrNotExist:
		return e == ENOENT
	case fs.ErrExist:
		return e == EEXIST || e == ENOTEMPTY
	case fs.ErrPermission:
		return e == EACCES || e == EPERM
	}
	return false
}

// ErrnoName returns e's symbolic name ("ENOENT"), or "" for a number Linux
// does not define. Where Linux has two names for a number it returns the
// first one in errno.h (EAGAIN, EDEADLK, EOPNOTSUPP, EUCLEAN).
func ErrnoName(e Errno) string {
	if int(e) < len(errnoTable) {
		return errnoTable[e].name
	}
	return ""
}

// ErrnoNum returns the errno named name, aliases included ("EWOULDBLOCK"),
// or 0 when Linux has no errno of that name.
func ErrnoNum(name string) Errno {
	switch name {
	case "EWOULDBLOCK":
		return EWOULDBLOCK
	case "EDEADLOCK":
		return EDEADLOCK
	case "ENOTSUP":
		return ENOTSUP
	case "EFSCORRUPTED":
		return EFSCORRUPTED
	}
	for e := range errnoTable {
		if name != "" && errnoTable[e].name == name {
			return Errno(e)
		}
	}
	return 0
}
