package sh

import (
	"sort"
	"strconv"
	"strings"
)

// Expansion of words at run time: parameters, then field splitting of
// what unquoted parameters gave. There is no pathname expansion (globs),
// no command substitution and no arithmetic.

// fields expands w into fields. An unquoted parameter's value is split at
// blanks; a word made only of unquoted parameters that are empty gives no
// field; "$@" gives one field per argument.
func (s *Shell) fields(w Word) []string {
	var out []string
	var cur strings.Builder
	have := false // cur is a field, even an empty one
	for _, p := range w {
		switch {
		case p.Param == "":
			cur.WriteString(p.Lit)
			have = have || p.Quoted || p.Lit != ""
		case p.Param == "@" && p.Quoted:
			for i, a := range s.args {
				if i > 0 {
					out = append(out, cur.String())
					cur.Reset()
				}
				cur.WriteString(a)
				have = true
			}
		case p.Quoted:
			cur.WriteString(s.param(p.Param))
			have = true
		default:
			for i, f := range splitBlanks(s.param(p.Param)) {
				if i > 0 || f.leading {
					if have {
						out = append(out, cur.String())
					}
					cur.Reset()
					have = false
				}
				if f.text != "" {
					cur.WriteString(f.text)
					have = true
				}
				if f.trailing {
					if have {
						out = append(out, cur.String())
					}
					cur.Reset()
					have = false
				}
			}
		}
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}

// piece is one field of a split value, and whether blanks stood before or
// after it (they end the field being built).
type piece struct {
	text              string
	leading, trailing bool
}

// splitBlanks splits v at spaces, tabs and new lines.
func splitBlanks(v string) []piece {
	words := strings.Fields(v)
	if len(words) == 0 {
		if v != "" {
			return []piece{{leading: true}}
		}
		return nil
	}
	out := make([]piece, len(words))
	for i, w := range words {
		out[i].text = w
	}
	out[0].leading = strings.IndexAny(v[:1], " \t\n") == 0
	out[len(out)-1].trailing = strings.IndexAny(v[len(v)-1:], " \t\n") == 0
	return out
}

// text expands w into one string, without splitting: for assignments and
// redirection targets.
func (s *Shell) text(w Word) string {
	var sb strings.Builder
	for _, p := range w {
		if p.Param == "" {
			sb.WriteString(p.Lit)
		} else {
			sb.WriteString(s.param(p.Param))
		}
	}
	return sb.String()
}

// param returns the value of a parameter.
func (s *Shell) param(name string) string {
	switch name {
	case "?":
		return strconv.Itoa(s.status)
	case "$":
		return strconv.Itoa(s.pid)
	case "!":
		if s.lastBg == 0 {
			return ""
		}
		return strconv.Itoa(s.lastBg)
	case "#":
		return strconv.Itoa(len(s.args))
	case "@", "*":
		return strings.Join(s.args, " ")
	case "-":
		return s.flags()
	case "0":
		return s.name
	}
	if n, err := strconv.Atoi(name); err == nil {
		if n >= 1 && n <= len(s.args) {
			return s.args[n-1]
		}
		return ""
	}
	return s.vars[name]
}

// environ returns the exported variables, with extra (NAME=value) over
// them, sorted.
func (s *Shell) environ(extra map[string]string) []string {
	env := map[string]string{}
	for k := range s.exported {
		if v, ok := s.vars[k]; ok {
			env[k] = v
		}
	}
	for k, v := range extra {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
