package coreutils

// rmdir DIR... removes empty directories.
func rmdir(u *U, args []string) int {
	if len(args) == 0 {
		return u.usage("DIR...")
	}
	for _, d := range args {
		if err := u.Rmdir(d); err != nil {
			u.fail("failed to remove '%s': %s", d, strerror(err))
		}
	}
	return 0
}
