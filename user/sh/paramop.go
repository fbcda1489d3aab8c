package sh

import (
	"strconv"
	"strings"
)

// Parameter operators: ${#x} (length), ${x:-word} and ${x-word}
// (default), ${x:=word} (assign a default), ${x:+word} (alternative),
// ${x:?word} (error when unset), ${x%pat} ${x%%pat} ${x#pat} ${x##pat}
// (remove the shortest or longest matching suffix or prefix). The colon
// forms treat an empty value as unset.

// paramOps are the operators, longest first.
var paramOps = []string{":-", ":=", ":+", ":?", "%%", "##", "-", "=", "+", "?", "%", "#"}

// paramOp applies the operator in name if there is one.
func (s *Shell) paramOp(name string) (string, bool) {
	if v, ok := strings.CutPrefix(name, "#"); ok && v != "" && validName(v) {
		return strconv.Itoa(len(s.param(v))), true
	}
	i := strings.IndexAny(name, ":-=+?%#")
	if i <= 0 || !validName(name[:i]) {
		return "", false
	}
	v, rest := name[:i], name[i:]
	for _, op := range paramOps {
		if word, ok := strings.CutPrefix(rest, op); ok {
			return s.applyOp(v, op, word), true
		}
	}
	return "", false
}

// applyOp applies op with its word to parameter v.
func (s *Shell) applyOp(v, op, word string) string {
	val, set := s.param(v), s.isSet(v)
	if op[0] == ':' {
		set = set && val != ""
		op = op[1:]
	}
	expand := func() string { return s.text(expandable(word)) }
	switch op {
	case "-":
		if !set {
			return expand()
		}
	case "=":
		if !set {
			val = expand()
			s.vars[v] = val
		}
	case "+":
		if set {
			return expand()
		}
		return ""
	case "?":
		if !set {
			msg := expand()
			if msg == "" {
				msg = "parameter not set"
			}
			s.errorf("%s: %s", v, msg)
			s.status, s.exiting = 1, !s.interactive
		}
	case "%", "%%":
		return trimSuffix(val, s.text(expandable(word)), op == "%%")
	case "#", "##":
		return trimPrefix(val, s.text(expandable(word)), op == "##")
	}
	return val
}

// isSet reports whether parameter v has a value.
func (s *Shell) isSet(v string) bool {
	if n, err := strconv.Atoi(v); err == nil {
		return n == 0 || n <= len(s.args)
	}
	if nameLen(v) != len(v) {
		return true // a special parameter
	}
	_, ok := s.vars[v]
	return ok
}

// trimSuffix removes the shortest (or longest) suffix of val matching pat.
func trimSuffix(val, pat string, longest bool) string {
	for k := 0; k <= len(val); k++ {
		i := len(val) - k
		if longest {
			i = k
		}
		if match(pat, val[i:]) {
			return val[:i]
		}
	}
	return val
}

// trimPrefix removes the shortest (or longest) prefix of val matching pat.
func trimPrefix(val, pat string, longest bool) string {
	for k := 0; k <= len(val); k++ {
		i := k
		if longest {
			i = len(val) - k
		}
		if match(pat, val[:i]) {
			return val[i:]
		}
	}
	return val
}
