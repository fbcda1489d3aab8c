package coreutils

import "github.com/mkos/mkos/ipc/linux"

// touch [-c] FILE... creates the files that do not exist (-c: does not).
// The file server has no call to set times, so an existing file is left
// as it is.
func touch(u *U, args []string) int {
	opts, files, err := options(args, "c")
	if err != nil || len(files) == 0 {
		return u.usage("[-c] FILE...")
	}
	flags := linux.O_WRONLY | linux.O_CREAT
	if has(opts, 'c') {
		flags = linux.O_WRONLY
	}
	for _, f := range files {
		if a, err := u.Stat(f); err == nil && a.IsDir() {
			continue
		}
		fd, err := u.Open(f, flags, 0o644)
		if err != nil {
			if !has(opts, 'c') {
				u.fail("cannot touch '%s': %s", f, strerror(err))
			}
			continue
		}
		u.Close(fd)
	}
	return 0
}
