package sh

import "strings"

// Field splitting by $IFS (unset: space, tab and new line; empty: no
// splitting). Runs of IFS white space separate fields and are trimmed at
// both ends; each other IFS character ends a field, so "a::b" with IFS=:
// is a, "" and b.

// defaultIFS is IFS when it is unset.
const defaultIFS = " \t\n"

// ifs returns the field separators.
func (s *Shell) ifs() string {
	if v, ok := s.vars["IFS"]; ok {
		return v
	}
	return defaultIFS
}

// isIFSSpace reports whether c is IFS white space in ifs.
func isIFSSpace(c byte, ifs string) bool {
	return strings.IndexByte(" \t\n", c) >= 0 && strings.IndexByte(ifs, c) >= 0
}

// splitIFS splits v into fields.
func splitIFS(v, ifs string) []piece {
	if ifs == "" {
		if v == "" {
			return nil
		}
		return []piece{{text: v, field: true}}
	}
	var out []piece
	i := 0
	lead := false
	for i < len(v) && isIFSSpace(v[i], ifs) {
		i, lead = i+1, true
	}
	for i < len(v) {
		start := i
		for i < len(v) && strings.IndexByte(ifs, v[i]) < 0 {
			i++
		}
		out = append(out, piece{text: v[start:i], field: true})
		i = skipDelimiter(v, i, ifs)
	}
	if len(out) == 0 {
		if lead {
			return []piece{{leading: true}}
		}
		return nil
	}
	out[0].leading = lead
	out[len(out)-1].trailing = strings.IndexByte(ifs, v[len(v)-1]) >= 0
	return out
}

// skipDelimiter skips one field delimiter at v[i:]: IFS white space
// around at most one other IFS character.
func skipDelimiter(v string, i int, ifs string) int {
	for i < len(v) && isIFSSpace(v[i], ifs) {
		i++
	}
	if i < len(v) && strings.IndexByte(ifs, v[i]) >= 0 {
		i++
		for i < len(v) && isIFSSpace(v[i], ifs) {
			i++
		}
	}
	return i
}

// cutIFS takes the first field of line for read: the field and the rest
// after its delimiter.
func cutIFS(line, ifs string) (string, string) {
	i := 0
	for i < len(line) && strings.IndexByte(ifs, line[i]) < 0 {
		i++
	}
	return line[:i], line[skipDelimiter(line, i, ifs):]
}

// trimIFSSpace trims IFS white space from both ends of s.
func trimIFSSpace(s, ifs string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r < 128 && isIFSSpace(byte(r), ifs) })
}
