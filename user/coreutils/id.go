package coreutils

import "strconv"

// id prints who the process acts for, as coreutils' id does:
// "uid=1000(user) gid=1000(user) groups=1000(user)". id -u, -g and -n
// print one part: the uid, the gid, and with -n their names.
func id(u *U, args []string) int {
	opts, rest, err := options(args, "ugn")
	if err != nil || len(rest) > 0 {
		return u.usage("[-u | -g] [-n]")
	}
	c, err := u.Cred()
	if err != nil {
		u.fail("%s", strerror(err))
		return 1
	}
	names := u.Names()
	switch {
	case has(opts, 'u') && has(opts, 'n'):
		u.printf("%s\n", names.User(c.UID))
	case has(opts, 'u'):
		u.printf("%d\n", c.UID)
	case has(opts, 'g') && has(opts, 'n'):
		u.printf("%s\n", names.Group(c.GID))
	case has(opts, 'g'):
		u.printf("%d\n", c.GID)
	default:
		g := named(c.GID, names.Group(c.GID), names.HasGroup(c.GID))
		u.printf("uid=%s gid=%s groups=%s\n", named(c.UID, names.User(c.UID), names.HasUser(c.UID)), g, g)
	}
	return 0
}

// named renders "N(name)", or "N" when n has no name.
func named(n uint32, name string, ok bool) string {
	if !ok {
		return name
	}
	return strconv.FormatUint(uint64(n), 10) + "(" + name + ")"
}
