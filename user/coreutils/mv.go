package coreutils

// mv SRC DST, mv SRC... DIR renames files and directories.
func mv(u *U, args []string) int {
	if len(args) < 2 {
		return u.usage("SRC... DST")
	}
	pairs, ok := u.destinations(args[:len(args)-1], args[len(args)-1])
	if !ok {
		return 1
	}
	for _, p := range pairs {
		src, to := p[0], p[1]
		if err := u.Rename(src, to); err != nil {
			u.fail("cannot move '%s' to '%s': %s", src, to, strerror(err))
		}
	}
	return 0
}

// destinations pairs each source with where it goes, as cp, mv and ln do:
// into dst when dst is a directory, else dst itself, which then takes a
// single source. It reports the error and returns false otherwise.
func (u *U) destinations(srcs []string, dst string) ([][2]string, bool) {
	intoDir := u.isDir(dst)
	if len(srcs) > 1 && !intoDir {
		u.fail("target '%s' is not a directory", dst)
		return nil, false
	}
	pairs := make([][2]string, len(srcs))
	for i, src := range srcs {
		pairs[i] = [2]string{src, dst}
		if intoDir {
			pairs[i][1] = dst + "/" + base(src)
		}
	}
	return pairs, true
}
