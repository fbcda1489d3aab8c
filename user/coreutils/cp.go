package coreutils

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// cp [-rRafp] SRC DST, cp [-rRafp] SRC... DIR copies files (-r or -R:
// directories and what is in them; -a: -r). A copy always gets its
// source's permission bits (what -p and -a keep; times are not kept) and
// replaces what was there (-f).
func cp(u *U, args []string) int {
	opts, paths, err := options(args, "rRafp")
	if err != nil || len(paths) < 2 {
		return u.usage("[-rRafp] SRC... DST")
	}
	rec := has(opts, 'r') || has(opts, 'R') || has(opts, 'a')
	pairs, ok := u.destinations(paths[:len(paths)-1], paths[len(paths)-1])
	if !ok {
		return 1
	}
	for _, p := range pairs {
		u.copy(p[0], p[1], rec)
	}
	return 0
}

// copy copies src to dst.
func (u *U) copy(src, dst string, rec bool) {
	a, err := u.Stat(src)
	switch {
	case err != nil:
		u.fail("cannot stat '%s': %s", src, strerror(err))
	case a.IsDir() && !rec:
		u.fail("-r not specified; omitting directory '%s'", src)
	case a.IsDir():
		u.copyDir(src, dst)
	default:
		if err := u.copyFile(src, dst, a.Mode&0o7777); err != nil {
			u.fail("cannot copy '%s' to '%s': %s", src, dst, strerror(err))
		}
	}
}

func (u *U) copyDir(src, dst string) {
	if err := u.Mkdir(dst, 0o755); err != nil && !u.isDir(dst) {
		u.fail("cannot create directory '%s': %s", dst, strerror(err))
		return
	}
	es, err := u.ReadDir(src)
	if err != nil {
		u.failOn(src, err)
		return
	}
	for _, e := range es {
		if e.Name != "." && e.Name != ".." {
			u.copy(src+"/"+e.Name, dst+"/"+e.Name, true)
		}
	}
}

// copyFile copies the bytes of src into dst, created with mode.
func (u *U) copyFile(src, dst string, mode uint32) error {
	in, err := u.Open(src, linux.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer u.Close(in)
	out, err := u.Create(dst, mode)
	if err != nil {
		return err
	}
	buf := make([]byte, ipc.MaxBulk)
	for {
		n, err := u.Read(in, buf)
		if err == nil && n > 0 {
			_, err = u.Write(out, buf[:n])
		}
		if err != nil || n == 0 {
			if cerr := u.Close(out); err == nil {
				err = cerr
			}
			return err
		}
	}
}

// isDir reports whether path is a directory.
func (u *U) isDir(path string) bool {
	a, err := u.Stat(path)
	return err == nil && a.IsDir()
}

// base returns the last element of path.
func base(path string) string {
	if path == "/" {
		return path
	}
	for len(path) > 1 && path[len(path)-1] == '/' {
		path = path[:len(path)-1]
	}
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}
