package coreutils

// mv SRC DST, mv SRC... DIR renames files and directories.
func mv(u *U, args []string) int {
	if len(args) < 2 {
		return u.usage("SRC... DST")
	}
	srcs, dst := args[:len(args)-1], args[len(args)-1]
	intoDir := u.isDir(dst)
	if len(srcs) > 1 && !intoDir {
		u.fail("target '%s' is not a directory", dst)
		return 1
	}
	for _, src := range srcs {
		to := dst
		if intoDir {
			to = dst + "/" + base(src)
		}
		if err := u.Rename(src, to); err != nil {
			u.fail("cannot move '%s' to '%s': %s", src, to, strerror(err))
		}
	}
	return 0
}
