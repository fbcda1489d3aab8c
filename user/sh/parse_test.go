package sh

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"simple", "echo a  b", "echo a b"},
		{"sequence", "a; b ;c", "a; b; c"},
		{"newlines", "a\n\nb\n", "a; b"},
		{"pipeline", "a|b | c", "a | b | c"},
		{"and or", "a && b || c", "a && b || c"},
		{"background", "a & b", "a & b"},
		{"trailing background", "sleep 1 &", "sleep 1 &"},
		{"negation", "! a | b", "! a | b"},
		{"redirections", "cat <in >out 2>>err", "cat 0<in 1>out 2>>err"},
		{"dup", "cmd 2>&1 >f", "cmd 2>&1 1>f"},
		{"close", "cmd >&-", "cmd 1>&-"},
		{"redirect first", "> f echo x", "echo x 1>f"},
		{"single quotes", `echo 'a b' 'c"d'`, `echo 'a b' 'c"d'`},
		{"double quotes", `echo "a $x b"`, `echo 'a '"${x}"' b'`},
		{"backslash", `echo a\ b \$x`, `echo a' 'b '$'x`},
		{"params", `echo $? $$ $! $# $1 ${10} $@ ${name}x`, `echo ${?} ${$} ${!} ${#} ${1} ${10} ${@} ${name}x`},
		{"lone dollar", `echo $ a$`, `echo $ a$`},
		{"assignments", "x=1 y='a b' cmd x=2", "x=1 y='a b' cmd x=2"},
		{"assignment alone", "x=", "x="},
		{"quoted name is no assignment", `'x'=1`, `'x'=1`},
		{"comment", "echo a # b c\necho d", "echo a; echo d"},
		{"hash inside a word", "echo a#b", "echo a#b"},
		{"continuation", "echo a \\\nb", "echo a b"},
		{"operator then newline", "a &&\n b |\n c", "a && b | c"},
		{"empty quotes", `echo "" ''`, `echo '' ''`},
		{"digits not before redirection", "echo 2 >f", "echo 2 1>f"},
		{"if", "if a; then b\nelif c\nthen d; else e; fi", "if a; then b; elif c; then d; else e; fi"},
		{"while", "while a\ndo b; c\ndone > f", "while a; do b; c; done 1>f"},
		{"until", "until a; do b; done", "until a; do b; done"},
		{"for in", "for i in 1 $x; do echo $i; done", "for i in 1 ${x}; do echo ${i}; done"},
		{"for without in", "for i\ndo b; done", "for i; do b; done"},
		{"case", "case $x in\n(a|b) c;;\n*) d\nesac", "case ${x} in a|b) c;; *) d;; esac"},
		{"brace group", "{ a; b; } | c", "{ a; b; } | c"},
		{"subshell", "(a; b) && c", "( a; b; ) && c"},
		{"function", "f() {\n a\n}\nf x", "f() { a; }; f x"},
		{"reserved word as argument", "echo if then fi", "echo if then fi"},
		{"command substitution", "echo $(a | b) `c`", "echo $(a | b) $(c)"},
		{"nested substitution", `echo "$(echo $(echo x))"`, `echo "$(echo $(echo x))"`},
		{"arithmetic", "echo $((1 + (2*3)))", "echo $((1 + (2*3)))"},
		{"parameter operators", "echo ${x:-a} ${#y}", "echo ${x:-a} ${#y}"},
		{"here-document", "cat <<EOF\nhi $x\nEOF\necho after", "cat 0<<'EOF'; echo after"},
	} {
		l, err := Parse(c.in)
		if assert.NoError(t, err, c.name) {
			assert.Equal(t, c.want, l.String(), "%s: Parse(%q)", c.name, c.in)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		in, msg    string
		incomplete bool
	}{
		{"| a", "line 1: syntax error: unexpected '|'", false},
		{"a ;; b", "line 1: syntax error: unexpected ';;'", false},
		{"a &&", "line 1: syntax error: unexpected end of file", true},
		{"a |", "line 1: syntax error: unexpected end of file", true},
		{"echo 'abc", "line 1: syntax error: unexpected end of file", true},
		{`echo "abc`, "line 1: syntax error: unexpected end of file", true},
		{"echo >", "line 1: syntax error: unexpected end of file", true},
		{"echo > ;", "line 1: syntax error: unexpected ';'", false},
		{"a\nb\n( c", "line 3: syntax error: unexpected end of file", true},
		{"if a; then b", "line 1: syntax error: unexpected end of file", true},
		{"if a; fi", "line 1: syntax error: unexpected 'fi'", false},
		{"while a; done", "line 1: syntax error: unexpected 'done'", false},
		{"for 1 in a; do b; done", "line 1: syntax error: unexpected '1'", false},
		{"case a in b) c;; d", "line 1: syntax error: unexpected end of file", true},
		{"cat <<EOF\nno end", "line 1: syntax error: unexpected end of file", true},
		{"fi", "line 1: syntax error: unexpected 'fi'", false},
		{"echo $(a", "line 1: syntax error: unexpected end of file", true},
		{"a )", "line 1: syntax error: unexpected ')'", false},
	} {
		_, err := Parse(c.in)
		var se *SyntaxError
		if assert.ErrorAs(t, err, &se, c.in) {
			assert.Equal(t, c.msg, se.Error(), c.in)
			assert.Equal(t, c.incomplete, se.Incomplete, c.in)
		}
	}
}

// A script runs up to its first syntax error: Next returns each line.
func TestParserNextLineByLine(t *testing.T) {
	p := NewParser("a; b\nc &&\nd\n|")
	l, err := p.Next()
	require.NoError(t, err)
	assert.Equal(t, "a; b", l.String())
	l, err = p.Next()
	require.NoError(t, err)
	assert.Equal(t, "c && d", l.String())
	_, err = p.Next()
	assert.Error(t, err)
}

func TestFields(t *testing.T) {
	s := &Shell{vars: map[string]string{"e": "", "sp": " a  b ", "x": "1"}, args: []string{"p 1", "p2"}, status: 3}
	for _, c := range []struct {
		in   string
		want []string
	}{
		{`$x`, []string{"1"}},
		{`$e`, nil},
		{`"$e"`, []string{""}},
		{`$sp`, []string{"a", "b"}},
		{`"$sp"`, []string{" a  b "}},
		{`[$sp]`, []string{"[", "a", "b", "]"}},
		{`a$e`, []string{"a"}},
		{`$?`, []string{"3"}},
		{`$#`, []string{"2"}},
		{`"$@"`, []string{"p 1", "p2"}},
		{`$@`, []string{"p", "1", "p2"}},
		{`"$*"`, []string{"p 1 p2"}},
		{`"x$@y"`, []string{"xp 1", "p2y"}},
		{`$3`, nil},
		{`'$x'`, []string{"$x"}},
	} {
		l, err := Parse("echo " + c.in)
		require.NoError(t, err, c.in)
		w := l[0].Pipes[0].Cmds[0].Words[1]
		assert.Equal(t, c.want, s.fields(w), "fields(%s)", c.in)
	}
}
