package coreutils

import (
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/user/ulib"
)

// pwd prints the working directory.
func pwd(u *U, _ []string) int {
	u.printf("%s\n", u.Getcwd())
	return 0
}

// syncFS (sync) returns when everything written is on the disk.
func syncFS(u *U, _ []string) int {
	if err := u.Sync(); err != nil {
		u.fail("%s", strerror(err))
	}
	return 0
}

// strerror is ulib.Strerror, short.
func strerror(err error) string { return ulib.Strerror(err) }

// errIsDir is the error of reading a directory as a file.
var errIsDir = linux.EISDIR
