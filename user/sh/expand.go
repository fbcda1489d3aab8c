package sh

import (
	"sort"
	"strconv"
	"strings"
)

// Expansion of words at run time: parameters, command substitution and
// arithmetic, then field splitting of what unquoted expansions gave, then
// pathname expansion (globs: glob.go) of fields with an unquoted *, ? or [.

// fields expands w into fields. An unquoted expansion's value is split at
// blanks; a word made only of unquoted expansions that are empty gives no
// field; "$@" gives one field per argument.
func (s *Shell) fields(w Word) []string {
	var out []string
	var cur, pat strings.Builder // the field, and it as a glob pattern
	have, glob := false, false   // cur is a field, even an empty one; pat has a wildcard
	emit := func() {
		if have {
			out = append(out, s.globField(cur.String(), pat.String(), glob)...)
		}
		cur.Reset()
		pat.Reset()
		have, glob = false, false
	}
	add := func(text string, quoted bool) {
		cur.WriteString(text)
		if quoted {
			pat.WriteString(escapeGlob(text))
		} else {
			pat.WriteString(text)
			glob = glob || strings.ContainsAny(text, "*?[")
		}
	}
	for _, p := range w {
		switch {
		case p.literal():
			add(p.Lit, p.Quoted)
			have = have || p.Quoted || p.Lit != ""
		case p.Param == "@" && p.Quoted:
			for i, a := range s.args {
				if i > 0 {
					emit()
				}
				add(a, true)
				have = true
			}
		case p.Quoted:
			add(s.partValue(p), true)
			have = true
		default:
			for i, f := range splitIFS(s.partValue(p), s.ifs()) {
				if i > 0 || f.leading {
					emit()
				}
				if f.field {
					add(f.text, false)
					have = true
				}
				if f.trailing {
					emit()
				}
			}
		}
	}
	emit()
	return out
}

// partValue is the value of a parameter, command substitution or
// arithmetic expansion.
func (s *Shell) partValue(p Part) string {
	switch p.Kind {
	case SubstPart:
		return s.substitute(p.Lit)
	case ArithPart:
		return s.arith(p.Lit)
	}
	return s.param(p.Param)
}

// piece is one field of a split value, and whether blanks stood before or
// after it (they end the field being built).
type piece struct {
	text              string
	field             bool // a field, even an empty one (a::b with IFS=:)
	leading, trailing bool
}

// text expands w into one string, without splitting: for assignments and
// redirection targets.
func (s *Shell) text(w Word) string {
	var sb strings.Builder
	for _, p := range w {
		if p.literal() {
			sb.WriteString(p.Lit)
		} else {
			sb.WriteString(s.partValue(p))
		}
	}
	return sb.String()
}

// pattern expands w into a pattern for case: quoted characters match
// only themselves.
func (s *Shell) pattern(w Word) string {
	var sb strings.Builder
	for _, p := range w {
		v := p.Lit
		if !p.literal() {
			v = s.partValue(p)
		}
		if p.Quoted {
			v = escapeGlob(v)
		}
		sb.WriteString(v)
	}
	return sb.String()
}

// param returns the value of a parameter, applying its operator if it
// has one (${x:-word}: paramop.go).
func (s *Shell) param(name string) string {
	if v, ok := s.paramOp(name); ok {
		return v
	}
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
