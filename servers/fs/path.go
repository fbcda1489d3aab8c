package fs

import (
	"strings"

	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Layer 5: names. A path is resolved from the root, one component at a
// time, as namei does in Unix: every component but the last must be a
// directory (ENOTDIR) the caller may search (EACCES, perm.go) that holds
// the next (ENOENT). There is no working
// directory: a relative path is resolved from "/" too.
//
// A symbolic link met on the way is replaced by its target — resolved from
// "/" when the target is absolute, else from the directory that holds the
// link — at most maxSymlinks times per lookup (ELOOP beyond, as Linux).
// The last component is followed only when the operation asks (stat does,
// lstat, unlink and rename do not).

// maxSymlinks is how many symbolic links one lookup may follow.
const maxSymlinks = 40

// The kinds of last component, which some operations refuse.
const (
	lastNormal = iota
	lastDot    // "."
	lastDotDot // ".."
	lastRoot   // the path is "/"
)

// where is a path resolved up to its last component.
type where struct {
	dir   *inode // the directory that holds (or would hold) the name
	name  string
	kind  int
	ip    *inode // the inode the name is, nil when there is none
	off   int64  // the entry's offset in dir when ip != nil
	slash bool   // the path ended in "/": the last component must be a directory
}

// locate resolves path up to its last component, following a final
// symbolic link when follow (or when the path ends in "/").
func (f *FS) locate(path string, follow bool) (*where, error) {
	if path == "" {
		return nil, linux.ENOENT
	}
	if len(path) > fsproto.PathMax {
		return nil, linux.ENAMETOOLONG
	}
	if strings.IndexByte(path, 0) >= 0 {
		return nil, linux.EINVAL
	}
	root, err := f.iget(layout.RootIno)
	if err != nil {
		return nil, err
	}
	dir, rest, links := root, path, 0
	for {
		if strings.HasPrefix(rest, "/") {
			dir = root
		}
		comps := strings.FieldsFunc(rest, func(r rune) bool { return r == '/' })
		slash := strings.HasSuffix(rest, "/")
		if len(comps) == 0 {
			return &where{dir: root, name: "/", kind: lastRoot, ip: root, slash: true}, nil
		}
		w, next, err := f.walk(dir, comps, slash, follow, &links)
		if err != nil || w != nil {
			return w, err
		}
		dir, rest = next.dir, next.rest
	}
}

// restart is where a lookup goes on after a symbolic link.
type restart struct {
	dir  *inode
	rest string
}

// walk looks comps up from dir. It returns the resolved last component, or
// where to go on after a symbolic link.
func (f *FS) walk(dir *inode, comps []string, slash, follow bool, links *int) (*where, *restart, error) {
	for i, c := range comps {
		if len(c) > layout.NameMax {
			return nil, nil, linux.ENAMETOOLONG
		}
		if !dir.IsDir() {
			return nil, nil, linux.ENOTDIR
		}
		if err := f.may(dir, permX); err != nil {
			return nil, nil, err
		}
		ino, off, err := f.dirLookup(dir, c)
		if err != nil {
			return nil, nil, err
		}
		last := i == len(comps)-1
		if ino == 0 {
			if last {
				return &where{dir: dir, name: c, kind: kindOf(c), off: -1, slash: slash}, nil, nil
			}
			return nil, nil, linux.ENOENT
		}
		ip, err := f.iget(ino)
		if err != nil {
			return nil, nil, err
		}
		if ip.IsSymlink() && (!last || follow || slash) {
			target, err := f.linkTarget(ip, links)
			if err != nil {
				return nil, nil, err
			}
			rest := target + "/" + strings.Join(comps[i+1:], "/")
			if last && !slash {
				rest = target
			}
			return nil, &restart{dir: dir, rest: rest}, nil
		}
		if last {
			return &where{dir: dir, name: c, kind: kindOf(c), ip: ip, off: off, slash: slash}, nil, nil
		}
		dir = ip
	}
	panic("unreachable: comps is not empty")
}

// linkTarget counts one more symbolic link followed and returns ip's
// target.
func (f *FS) linkTarget(ip *inode, links *int) (string, error) {
	if *links++; *links > maxSymlinks {
		return "", linux.ELOOP
	}
	return f.readTarget(ip)
}

// readTarget returns the target of symbolic link ip.
func (f *FS) readTarget(ip *inode) (string, error) {
	b := make([]byte, ip.Size)
	n, err := f.readi(ip, b, 0)
	return string(b[:n]), err
}

func kindOf(name string) int {
	switch name {
	case ".":
		return lastDot
	case "..":
		return lastDotDot
	}
	return lastNormal
}

// resolve returns the inode path names; ENOENT when there is none.
func (f *FS) resolve(path string, follow bool) (*inode, error) {
	w, err := f.locate(path, follow)
	if err != nil {
		return nil, err
	}
	if w.ip == nil {
		return nil, linux.ENOENT
	}
	if w.slash && !w.ip.IsDir() {
		return nil, linux.ENOTDIR
	}
	return w.ip, nil
}

// isAncestor reports whether directory a is d or one of d's ancestors.
func (f *FS) isAncestor(a, d *inode) (bool, error) {
	for range f.sb.Inodes {
		if d.ino == a.ino {
			return true, nil
		}
		if d.ino == layout.RootIno {
			return false, nil
		}
		up, _, err := f.dirLookup(d, "..")
		if err != nil {
			return false, err
		}
		if d, err = f.iget(up); err != nil {
			return false, err
		}
	}
	return false, corruptf("directory %d: its \"..\" entries form a loop", d.ino)
}
