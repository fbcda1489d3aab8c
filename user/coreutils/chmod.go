package coreutils

import (
	"strconv"
	"strings"
)

// chmod MODE FILE... sets the permission bits of each file. MODE is octal
// (755, 1777) or symbolic as coreutils': a comma-separated list of
// [ugoa]*[+-=][rwxst]* (u+x, go-w, a=r, +t).
func chmod(u *U, args []string) int {
	if len(args) < 2 {
		return u.usage("MODE FILE...")
	}
	for _, path := range args[1:] {
		a, err := u.Stat(path)
		if err != nil {
			u.failOn(path, err)
			continue
		}
		mode, err := ParseMode(args[0], a.Mode&0o7777)
		if err != nil {
			u.fail("invalid mode: '%s'", args[0])
			return 1
		}
		if err := u.Chmod(path, mode); err != nil {
			u.fail("changing permissions of '%s': %s", path, strerror(err))
		}
	}
	return 0
}

// ParseMode applies chmod's MODE to the permission bits old and returns
// the new ones.
func ParseMode(s string, old uint32) (uint32, error) {
	if n, err := strconv.ParseUint(s, 8, 32); err == nil {
		if n > 0o7777 {
			return 0, strconv.ErrRange
		}
		return uint32(n), nil
	}
	mode := old
	for _, clause := range strings.Split(s, ",") {
		var err error
		if mode, err = applyClause(clause, mode); err != nil {
			return 0, err
		}
	}
	return mode, nil
}

// errMode is a symbolic mode chmod cannot read.
var errMode = strconv.ErrSyntax

// applyClause applies one [ugoa]*[+-=][rwxst]* clause to mode.
func applyClause(c string, mode uint32) (uint32, error) {
	who := uint32(0)
	i := 0
	for ; i < len(c) && strings.IndexByte("ugoa", c[i]) >= 0; i++ {
		who |= map[byte]uint32{'u': 0o4700, 'g': 0o2070, 'o': 0o1007, 'a': 0o7777}[c[i]]
	}
	if who == 0 {
		who = 0o7777
	}
	if i == len(c) || strings.IndexByte("+-=", c[i]) < 0 {
		return 0, errMode
	}
	op := c[i]
	var bits uint32
	for _, p := range c[i+1:] {
		switch p {
		case 'r':
			bits |= 0o444
		case 'w':
			bits |= 0o222
		case 'x':
			bits |= 0o111
		case 's':
			bits |= 0o6000
		case 't':
			bits |= 0o1000
		default:
			return 0, errMode
		}
	}
	bits &= who
	switch op {
	case '+':
		mode |= bits
	case '-':
		mode &^= bits
	default:
		mode = mode&^(who&0o777) | bits
	}
	return mode, nil
}
