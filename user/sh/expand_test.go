package sh

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		name, pat, s string
		want         bool
	}{
		{"literal", "abc", "abc", true},
		{"literal differs", "abc", "abd", false},
		{"star", "a*c", "abbbc", true},
		{"star empty", "a*", "a", true},
		{"star crosses slash", "*", "a/b", true},
		{"question", "a?c", "abc", true},
		{"question needs one", "a?", "a", false},
		{"set", "[abc]x", "bx", true},
		{"range", "[a-c]", "d", false},
		{"negated set", "[!a]", "b", true},
		{"negated set refuses", "[!a]", "a", false},
		{"unclosed bracket is literal", "[a", "[a", true},
		{"escaped star", `\*`, "*", true},
		{"escaped star is not a wildcard", `\*`, "x", false},
		{"several stars", "*.*.gz", "a.tar.gz", true},
	} {
		assert.Equal(t, c.want, match(c.pat, c.s), "%s: match(%q, %q)", c.name, c.pat, c.s)
	}
}

func TestArith(t *testing.T) {
	s := &Shell{vars: map[string]string{"x": "6", "e": ""}}
	for _, c := range []struct{ name, expr, want string }{
		{"precedence", "1 + 2 * 3", "7"},
		{"parentheses", "(1 + 2) * 3", "9"},
		{"variables", "x * 2", "12"},
		{"dollar variables", "$x + 1", "7"},
		{"empty is zero", "e + 1", "1"},
		{"unary minus", "-x + 1", "-5"},
		{"comparison", "x > 5 && x < 7", "1"},
		{"ternary", "x == 6 ? 10 : 20", "10"},
		{"modulo", "17 % 5", "2"},
		{"shifts", "1 << 4 | 1", "17"},
		{"hex and octal", "0x10 + 010", "24"},
		{"not", "!0 + !5", "1"},
		{"division by zero", "1 / 0", "0"},
		{"garbage", "1 +", "0"},
	} {
		s.p = nil
		got := func() (got string) {
			defer func() {
				if recover() != nil {
					got = "0" // errorf has no process here: an error was reported
				}
			}()
			return s.arith(c.expr)
		}()
		assert.Equal(t, c.want, got, "%s: arith(%q)", c.name, c.expr)
	}
	s.arith("y = x += 1")
	assert.Equal(t, "7", s.vars["x"], "x += 1")
	assert.Equal(t, "7", s.vars["y"], "y = x += 1")
}

func TestParamOps(t *testing.T) {
	s := &Shell{vars: map[string]string{"p": "/a/b.tar.gz", "e": ""}}
	for _, c := range []struct{ name, param, want string }{
		{"length", "#p", "11"},
		{"default unset", "u:-d", "d"},
		{"default empty with colon", "e:-d", "d"},
		{"default empty without colon", "e-d", ""},
		{"alternative", "p:+alt", "alt"},
		{"alternative unset", "u:+alt", ""},
		{"shortest suffix", "p%.*", "/a/b.tar"},
		{"longest suffix", "p%%.*", "/a/b"},
		{"shortest prefix", "p#*/", "a/b.tar.gz"},
		{"longest prefix", "p##*/", "b.tar.gz"},
		{"assign default", "n:=v", "v"},
	} {
		assert.Equal(t, c.want, s.param(c.param), "%s: ${%s}", c.name, c.param)
	}
	assert.Equal(t, "v", s.vars["n"], "${n:=v} assigns")
}
