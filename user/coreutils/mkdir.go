package coreutils

import (
	"errors"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
)

// mkdir [-p] DIR... creates directories; -p creates their parents too and
// is quiet about directories that exist.
func mkdir(u *U, args []string) int {
	opts, dirs, err := options(args, "p")
	if err != nil || len(dirs) == 0 {
		return u.usage("[-p] DIR...")
	}
	for _, d := range dirs {
		if has(opts, 'p') {
			u.mkdirAll(d)
		} else if err := u.Mkdir(d, 0o755); err != nil {
			u.fail("cannot create directory '%s': %s", d, strerror(err))
		}
	}
	return 0
}

// mkdirAll creates d and its missing parents.
func (u *U) mkdirAll(d string) {
	parts := strings.Split(d, "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		if p == "" {
			continue
		}
		err := u.Mkdir(p, 0o755)
		if errors.Is(err, linux.EEXIST) {
			if a, serr := u.Stat(p); serr == nil && a.IsDir() {
				continue
			}
		}
		if err != nil {
			u.fail("cannot create directory '%s': %s", p, strerror(err))
			return
		}
	}
}
