package sh

import (
	"sort"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
)

// Patterns: pathname expansion of fields (globs) and the matching that
// case and ${x#pattern} use. A pattern has * (any string), ? (any
// character), […] and [!…] (a set, with ranges a-z), and \c (c itself).

// escapeGlob quotes the pattern characters of s.
func escapeGlob(s string) string {
	if !strings.ContainsAny(s, `*?[\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(`*?[\`, s[i]) >= 0 {
			sb.WriteByte('\\')
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// unescapeGlob removes the backslashes escapeGlob added.
func unescapeGlob(p string) string {
	if !strings.Contains(p, `\`) {
		return p
	}
	var sb strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			i++
		}
		sb.WriteByte(p[i])
	}
	return sb.String()
}

// match reports whether s matches pattern p entirely.
func match(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if match(p, s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			p, s = p[1:], s[1:]
		case '[':
			ok, rest, valid := matchSet(p, s)
			if !valid {
				if s == "" || s[0] != '[' {
					return false
				}
				p, s = p[1:], s[1:]
				continue
			}
			if !ok {
				return false
			}
			p, s = rest, s[1:]
		default:
			c := p[0]
			if c == '\\' && len(p) > 1 {
				p = p[1:]
				c = p[0]
			}
			if s == "" || s[0] != c {
				return false
			}
			p, s = p[1:], s[1:]
		}
	}
	return s == ""
}

// matchSet matches s's first character against the set at the start of
// p; it returns the pattern after the set, and valid false when the [ has
// no closing ].
func matchSet(p, s string) (ok bool, rest string, valid bool) {
	i := 1
	negate := i < len(p) && (p[i] == '!' || p[i] == '^')
	if negate {
		i++
	}
	start := i
	for ; i < len(p); i++ {
		if p[i] == ']' && i > start {
			break
		}
	}
	if i >= len(p) || s == "" {
		return false, "", i < len(p)
	}
	set, c := p[start:i], s[0]
	for j := 0; j < len(set); j++ {
		lo := set[j]
		if lo == '\\' && j+1 < len(set) {
			j++
			lo = set[j]
		}
		hi := lo
		if j+2 < len(set) && set[j+1] == '-' {
			hi = set[j+2]
			j += 2
		}
		if lo <= c && c <= hi {
			ok = true
		}
	}
	return ok != negate, p[i+1:], true
}

// hasWildcard reports whether pattern p has an unescaped *, ?, or [
// with a ] after it.
func hasWildcard(p string) bool {
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '*', '?':
			return true
		case '[':
			if strings.IndexByte(p[i+1:], ']') > 0 {
				return true
			}
		}
	}
	return false
}

// globField expands a field that has a wildcard into the paths that match
// it, sorted; with no match the field stays as it is.
func (s *Shell) globField(field, pat string, glob bool) []string {
	if !glob || !hasWildcard(pat) {
		return []string{field}
	}
	dirs := []string{""}
	if strings.HasPrefix(pat, "/") {
		dirs = []string{"/"}
	}
	segs := strings.Split(strings.Trim(pat, "/"), "/")
	for i, seg := range segs {
		var next []string
		for _, d := range dirs {
			next = append(next, s.globSegment(d, seg, i == len(segs)-1)...)
		}
		dirs = next
	}
	if len(dirs) == 0 {
		return []string{field}
	}
	sort.Strings(dirs)
	return dirs
}

// globSegment returns the paths in dir ("" for the working directory)
// whose names match seg.
func (s *Shell) globSegment(dir, seg string, last bool) []string {
	join := func(name string) string {
		if dir == "" {
			return name
		}
		return strings.TrimSuffix(dir, "/") + "/" + name
	}
	if !hasWildcard(seg) {
		path := join(unescapeGlob(seg))
		if _, err := s.p.Stat(path); err != nil {
			return nil
		}
		return []string{path}
	}
	list := dir
	if list == "" {
		list = "."
	}
	entries, err := s.p.ReadDir(list)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.Name == "." || e.Name == ".." || e.Name[0] == '.' && seg[0] != '.' {
			continue
		}
		if match(seg, e.Name) {
			if last || e.Type == linux.DT_DIR || e.Type == linux.DT_LNK {
				out = append(out, join(e.Name))
			}
		}
	}
	return out
}
