package coreutils

import (
	"strings"

	"github.com/mkos/mkos/ipc/fsproto"
)

// chown OWNER[:GROUP] FILE... sets the owner (and group) of each file;
// chown :GROUP FILE... only the group. Names come from /etc/passwd and
// /etc/group; numbers are taken as they are. Only root gives a file away.
func chown(u *U, args []string) int {
	if len(args) < 2 {
		return u.usage("OWNER[:GROUP] FILE...")
	}
	uid, gid, ok := u.owner(args[0])
	if !ok {
		return 1
	}
	for _, path := range args[1:] {
		if err := u.Chown(path, uid, gid); err != nil {
			u.fail("changing ownership of '%s': %s", path, strerror(err))
		}
	}
	return 0
}

// owner reads OWNER[:GROUP]; an absent part is fsproto.KeepID.
func (u *U) owner(spec string) (uid, gid uint32, ok bool) {
	uid, gid = fsproto.KeepID, fsproto.KeepID
	name, group, _ := strings.Cut(spec, ":")
	if name != "" {
		usr, found := u.LookupUser(name)
		if !found {
			u.fail("invalid user: '%s'", spec)
			return 0, 0, false
		}
		uid = usr.UID
	}
	if group != "" {
		g, found := u.LookupGroup(group)
		if !found {
			u.fail("invalid group: '%s'", spec)
			return 0, 0, false
		}
		gid = g.GID
	}
	return uid, gid, true
}
