package boot

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
)

// Users and permissions at boot: the root tree a new disk gets (with
// /etc/passwd and /etc/group) is in rootfs.go; the user the shell runs as
// is Config.User (init logs in as that user); and pm asks the file server
// whether a program's file lets the caller execute it (fileExec).

// fileExec is pm's Exec hook: it asks the file server whether cred may
// execute the file at path (fsproto.Access "as", which the file server
// grants pm only as root or as the caller itself). A program with no file
// on the disk — every built-in one unless someone creates its file — is
// the registry's to decide.
type fileExec struct{}

// MayExec implements pm.Exec.
func (fileExec) MayExec(sys ipc.Sys, cred ipc.Cred, path string) error {
	c, err := fsproto.Dial(sys)
	if err != nil {
		return err
	}
	return c.AccessAs(path, fsproto.AccessX, cred)
}
