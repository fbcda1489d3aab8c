package coreutils

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/user/ulib"
)

// ls [-ladFRh1] [PATH...] lists directories (sorted by name, one entry a
// line) and names files. -l: mode, links, owner, group, size, name (and a
// symbolic link's target) with the owner and group named by /etc/passwd
// and /etc/group; -h: sizes with a unit (4.0K); -a: also names starting
// with "."; -d: list directories themselves; -F: mark directories with /
// and links with @; -R: the directories under each, recursively.
func ls(u *U, args []string) int {
	opts, paths, err := options(args, "ladF1Rh")
	if err != nil {
		u.fail("%v", err)
		return 2
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	l := lister{u: u, long: has(opts, 'l'), all: has(opts, 'a'), mark: has(opts, 'F'), human: has(opts, 'h'), recurse: has(opts, 'R')}
	var files, dirs []string
	for _, p := range paths {
		if l.long && l.isSymlink(p) {
			files = append(files, p) // ls -l names a link itself, as GNU ls does
			continue
		}
		a, err := u.Stat(p)
		if err != nil {
			a, err = u.Lstat(p)
		}
		switch {
		case err != nil:
			u.failOn(p, err)
		case a.IsDir() && !has(opts, 'd'):
			dirs = append(dirs, p)
		default:
			files = append(files, p)
		}
	}
	sort.Strings(files)
	sort.Strings(dirs)
	for _, f := range files {
		l.entry(f, f)
	}
	for i, d := range dirs {
		if len(paths) > 1 || l.recurse {
			if i > 0 || len(files) > 0 {
				u.printf("\n")
			}
			u.printf("%s:\n", d)
		}
		l.dir(d)
	}
	return 0
}

// maxLsDepth bounds ls -R's descent (a loop of directories cannot be made
// with hard links here, but a limit on everything).
const maxLsDepth = 64

// lister prints entries as the options ask.
type lister struct {
	u                               *U
	long, all, mark, human, recurse bool
	depth                           int         // ls -R: directories above this one
	names                           *ulib.Names // read at the first long entry
}

// isSymlink reports whether path is a symbolic link.
func (l *lister) isSymlink(path string) bool {
	a, err := l.u.Lstat(path)
	return err == nil && a.IsSymlink()
}

// dir lists the directory at path, read from the file server as one
// stream (a directory of thousands of entries takes no request per
// window).
func (l *lister) dir(path string) {
	es, err := l.u.ReadDirStreamed(path)
	if err != nil {
		l.u.failOn(path, err)
		return
	}
	sort.Slice(es, func(i, j int) bool { return es[i].Name < es[j].Name })
	var subdirs []string
	for _, e := range es {
		if !l.all && strings.HasPrefix(e.Name, ".") {
			continue
		}
		p := strings.TrimSuffix(path, "/") + "/" + e.Name
		l.entry(p, e.Name)
		if l.recurse && e.Name != "." && e.Name != ".." {
			if a, err := l.u.Lstat(p); err == nil && a.IsDir() {
				subdirs = append(subdirs, p)
			}
		}
	}
	if l.depth >= maxLsDepth {
		return
	}
	for _, d := range subdirs {
		l.u.printf("\n%s:\n", d)
		l.depth++
		l.dir(d)
		l.depth--
	}
}

// entry prints one name; path is where it is.
func (l *lister) entry(path, name string) {
	if !l.long && !l.mark {
		l.u.printf("%s\n", name)
		return
	}
	a, err := l.u.Lstat(path)
	if err != nil {
		l.u.failOn(path, err)
		return
	}
	if l.mark {
		name += marker(&a)
	}
	if !l.long {
		l.u.printf("%s\n", name)
		return
	}
	if a.IsSymlink() {
		if t, err := l.u.Readlink(path); err == nil {
			name += " -> " + t
		}
	}
	if l.names == nil {
		l.names = l.u.Names()
	}
	size := strconv.FormatInt(a.Size, 10)
	if l.human {
		size = humanBytes(a.Size)
	}
	l.u.printf("%s %2d %-5s %-5s %6s %s\n", ModeString(a.Mode), a.Nlink, l.names.User(a.UID), l.names.Group(a.GID), size, name)
}

// humanBytes renders a size as ls -h does: 512, 4.0K, 1.5M.
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return sprintf("%.1fG", float64(n)/(1<<30))
	case n >= 1<<20:
		return sprintf("%.1fM", float64(n)/(1<<20))
	case n >= 1<<10:
		return sprintf("%.1fK", float64(n)/(1<<10))
	}
	return strconv.FormatInt(n, 10)
}

// marker is -F's mark of a file's type.
func marker(a *fsproto.Attr) string {
	switch {
	case a.IsDir():
		return "/"
	case a.IsSymlink():
		return "@"
	case a.Mode&linux.S_IFMT == linux.S_IFIFO:
		return "|"
	}
	return ""
}

// ModeString renders a mode as ls -l does: drwxr-xr-x, with s (S) for a
// set-user-ID or set-group-ID bit over x (no x), t (T) for the sticky bit
// (drwxrwxrwt: /tmp).
func ModeString(mode uint32) string {
	b := []byte("?---------")
	b[0] = map[uint32]byte{linux.S_IFREG: '-', linux.S_IFDIR: 'd', linux.S_IFLNK: 'l',
		linux.S_IFCHR: 'c', linux.S_IFIFO: 'p'}[mode&linux.S_IFMT]
	if b[0] == 0 {
		b[0] = '?'
	}
	for i, c := range "rwxrwxrwx" {
		if mode&(1<<(8-i)) != 0 {
			b[1+i] = byte(c)
		}
	}
	for i, s := range []struct {
		bit  uint32
		x, X byte
	}{{linux.S_ISUID, 's', 'S'}, {linux.S_ISGID, 's', 'S'}, {linux.S_ISVTX, 't', 'T'}} {
		at := 3 + 3*i
		switch {
		case mode&s.bit == 0:
		case b[at] == 'x':
			b[at] = s.x
		default:
			b[at] = s.X
		}
	}
	return string(b)
}

// typeName names a file's type as stat does.
func typeName(a *fsproto.Attr) string {
	switch a.Mode & linux.S_IFMT {
	case linux.S_IFDIR:
		return "directory"
	case linux.S_IFLNK:
		return "symbolic link"
	case linux.S_IFREG:
		if a.Size == 0 {
			return "regular empty file"
		}
		return "regular file"
	case linux.S_IFCHR:
		return "character special file"
	case linux.S_IFIFO:
		return "fifo"
	}
	return fmt.Sprintf("unknown (%#o)", a.Mode&linux.S_IFMT)
}
