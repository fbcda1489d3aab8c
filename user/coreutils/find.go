package coreutils

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc/fsproto"
)

// find [PATH...] [-name PATTERN] [-type f|d|l] [-maxdepth N] [-mindepth N]
// [-print] prints the paths under each PATH (.) that match every test,
// depth first, each directory before what it holds, in name order
// (-print, what it does anyway, is accepted last).
func find(u *U, args []string) int {
	var roots []string
	for len(args) > 0 && (args[0] == "" || args[0][0] != '-') {
		roots, args = append(roots, args[0]), args[1:]
	}
	if len(roots) == 0 {
		roots = []string{"."}
	}
	f := &finder{u: u, maxDepth: -1}
	if n := len(args); n > 0 && args[n-1] == "-print" {
		args = args[:n-1]
	}
	for len(args) > 0 {
		if len(args) < 2 {
			return u.usage("[PATH...] [-name PATTERN] [-type f|d|l] [-maxdepth N] [-mindepth N]")
		}
		var err error
		switch args[0] {
		case "-name":
			f.name = args[1]
		case "-type":
			f.kind = args[1]
		case "-maxdepth":
			f.maxDepth, err = strconv.Atoi(args[1])
		case "-mindepth":
			f.minDepth, err = strconv.Atoi(args[1])
		default:
			u.fail("unknown predicate '%s'", args[0])
			return 1
		}
		if err != nil {
			u.fail("%s: invalid number '%s'", args[0], args[1])
			return 1
		}
		args = args[2:]
	}
	for _, r := range roots {
		a, err := u.Lstat(r)
		if err != nil {
			u.failOn(r, err)
			continue
		}
		f.walk(r, &a, 0)
	}
	return 0
}

// finder is one find's tests.
type finder struct {
	u                  *U
	name, kind         string
	maxDepth, minDepth int
}

// walk visits p (described by a) at depth, then what it holds.
func (f *finder) walk(p string, a *fsproto.Attr, depth int) {
	if f.matches(p, a, depth) {
		f.u.printf("%s\n", p)
	}
	if !a.IsDir() || f.maxDepth >= 0 && depth >= f.maxDepth {
		return
	}
	es, err := f.u.ReadDir(p)
	if err != nil {
		f.u.failOn(p, err)
		return
	}
	for _, e := range sortedEntries(es) {
		if e.Name == "." || e.Name == ".." {
			continue
		}
		child := joinPath(p, e.Name)
		ca, err := f.u.Lstat(child)
		if err != nil {
			f.u.failOn(child, err)
			continue
		}
		f.walk(child, &ca, depth+1)
	}
}

// matches reports whether p passes every test.
func (f *finder) matches(p string, a *fsproto.Attr, depth int) bool {
	if depth < f.minDepth {
		return false
	}
	if f.name != "" {
		if ok, _ := path.Match(f.name, path.Base(p)); !ok {
			return false
		}
	}
	switch f.kind {
	case "f":
		return a.IsRegular()
	case "d":
		return a.IsDir()
	case "l":
		return a.IsSymlink()
	}
	return true
}

// du [-s] [-a] [-k | -h] [PATH...] prints the space the files under each
// PATH (.) use, in 1 KiB blocks: each directory's total (-a: each file's
// too; -s: only the totals of the PATHs; -h: with units).
func du(u *U, args []string) int {
	opts, roots, err := options(args, "sakh")
	if err != nil {
		return u.usage("[-sakh] [PATH...]")
	}
	if len(roots) == 0 {
		roots = []string{"."}
	}
	for _, r := range roots {
		a, err := u.Lstat(r)
		if err != nil {
			u.fail("cannot access '%s': %s", r, strerror(err))
			continue
		}
		total := duWalk(u, opts, r, &a, 0)
		if has(opts, 's') {
			u.printf("%s\t%s\n", duSize(opts, total), r)
		}
	}
	return 0
}

// duWalk returns the 512-byte blocks under p, printing as it goes.
func duWalk(u *U, opts map[byte]string, p string, a *fsproto.Attr, depth int) int64 {
	total := a.Blocks
	if a.IsDir() {
		es, err := u.ReadDir(p)
		if err != nil {
			u.failOn(p, err)
		}
		for _, e := range sortedEntries(es) {
			if e.Name == "." || e.Name == ".." {
				continue
			}
			child := joinPath(p, e.Name)
			if ca, err := u.Lstat(child); err == nil {
				total += duWalk(u, opts, child, &ca, depth+1)
			}
		}
	}
	if !has(opts, 's') && (a.IsDir() || has(opts, 'a') || depth == 0) {
		u.printf("%s\t%s\n", duSize(opts, total), p)
	}
	return total
}

// duSize renders 512-byte blocks in KiB, or with a unit (-h).
func duSize(opts map[byte]string, blocks int64) string {
	k := (blocks + 1) / 2
	if !has(opts, 'h') {
		return strconv.FormatInt(k, 10)
	}
	switch {
	case k >= 1<<20:
		return sprintf("%.1fG", float64(k)/(1<<20))
	case k >= 1<<10:
		return sprintf("%.1fM", float64(k)/(1<<10))
	}
	return sprintf("%dK", k)
}

// sortedEntries returns es in name order.
func sortedEntries(es []fsproto.DirEntry) []fsproto.DirEntry {
	out := append([]fsproto.DirEntry(nil), es...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// joinPath is dir/name, keeping dir as it was written (./a, not a).
func joinPath(dir, name string) string {
	if strings.HasSuffix(dir, "/") {
		return dir + name
	}
	return dir + "/" + name
}
