package coreutils

import (
	"errors"

	"github.com/mkos/mkos/ipc/linux"
)

// ln [-s] [-f] TARGET [LINK], ln [-s] [-f] TARGET... DIR makes LINK a new
// name of TARGET (-s: a symbolic link to it); -f removes LINK first.
func ln(u *U, args []string) int {
	opts, paths, err := options(args, "sf")
	if err != nil || len(paths) == 0 {
		return u.usage("[-s] [-f] TARGET [LINK]")
	}
	targets, link := paths, "."
	if len(paths) > 1 {
		targets, link = paths[:len(paths)-1], paths[len(paths)-1]
	}
	pairs, ok := u.destinations(targets, link)
	if !ok {
		return 1
	}
	for _, p := range pairs {
		t, name := p[0], p[1]
		if has(opts, 'f') {
			if err := u.Unlink(name); err != nil && !errors.Is(err, linux.ENOENT) {
				u.fail("cannot remove '%s': %s", name, strerror(err))
				continue
			}
		}
		make := u.Link
		if has(opts, 's') {
			make = u.Symlink
		}
		if err := make(t, name); err != nil {
			u.fail("failed to create link '%s' -> '%s': %s", name, t, strerror(err))
		}
	}
	return 0
}
