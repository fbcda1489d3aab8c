package coreutils

import (
	"errors"

	"github.com/mkos/mkos/ipc/linux"
)

// rm [-r] [-f] PATH... removes files; -r removes directories and what is
// in them, -f is quiet about names that do not exist.
func rm(u *U, args []string) int {
	opts, paths, err := options(args, "rRf")
	if err != nil || (len(paths) == 0 && !has(opts, 'f')) {
		return u.usage("[-r] [-f] PATH...")
	}
	rec := has(opts, 'r') || has(opts, 'R')
	for _, p := range paths {
		u.remove(p, rec, has(opts, 'f'))
	}
	return 0
}

// remove removes path, and what is in it when rec.
func (u *U) remove(path string, rec, force bool) {
	a, err := u.Lstat(path)
	switch {
	case err != nil && force && errors.Is(err, linux.ENOENT):
		return
	case err != nil:
		u.fail("cannot remove '%s': %s", path, strerror(err))
		return
	case a.IsDir() && !rec:
		u.fail("cannot remove '%s': %s", path, strerror(linux.EISDIR))
		return
	case !a.IsDir():
		if err := u.Unlink(path); err != nil {
			u.fail("cannot remove '%s': %s", path, strerror(err))
		}
		return
	}
	es, err := u.ReadDir(path)
	if err != nil {
		u.fail("cannot remove '%s': %s", path, strerror(err))
		return
	}
	for _, e := range es {
		if e.Name != "." && e.Name != ".." {
			u.remove(path+"/"+e.Name, rec, force)
		}
	}
	if err := u.Rmdir(path); err != nil {
		u.fail("cannot remove '%s': %s", path, strerror(err))
	}
}
