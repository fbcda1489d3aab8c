package sh

import (
	"errors"
	"fmt"
	"strings"
)

// The lexer: shell text → tokens. Words keep their quoting as parts, for
// the expansion at run time (expand.go).

// Part is a piece of a word: literal text, or a parameter to expand
// ($x, ${x}, $?, $1, …), quoted or not.
type Part struct {
	Lit    string
	Param  string // the parameter's name (and operator: ${x:-y}); "" for literal text
	Quoted bool
	// Kind is SubstPart for $(…) and `…` (Lit holds the commands) and
	// ArithPart for $((…)) (Lit holds the expression); 0 otherwise.
	Kind PartKind
}

// PartKind says what a part that is not text or a parameter is.
type PartKind uint8

// The kinds of parts.
const (
	SubstPart PartKind = iota + 1 // command substitution
	ArithPart                     // arithmetic expansion
)

// literal reports whether p is plain text.
func (p Part) literal() bool { return p.Param == "" && p.Kind == 0 }

// Word is a shell word: parts that expand to one or more fields.
type Word []Part

// tokKind says what a token is.
type tokKind uint8

const (
	tWord tokKind = iota + 1
	tOp           // an operator: | || & && ; newline < > >> >& <& ( )
	tEOF
)

// token is one token of the input.
type token struct {
	kind tokKind
	op   string   // tOp: the operator ("\n" for a new line)
	word Word     // tWord
	fd   int      // a redirection's descriptor ("2>"), -1 if none
	here *hereDoc // << and <<-: the here-document, its body read at the next new line
	line int      // the line it starts on, from 1
	err  error    // a lexing error at this point (an unterminated quote)
}

// errIncomplete is the error of input that ends inside a command: an open
// quote, or an operator that needs more (`a |`). An interactive shell
// reads another line.
var errIncomplete = errors.New("unexpected end of file")

// lexer walks the input.
type lexer struct {
	s       string
	i       int
	line    int
	pending []*hereDoc // here-documents whose bodies follow the next new line
}

// lex splits src into tokens; the last is tEOF, or a token with err set.
func lex(src string) []token {
	l := &lexer{s: src, line: 1}
	var out []token
	for {
		t := l.next()
		if t.err != nil {
			t.kind = tEOF // the input ends here, badly
		}
		out = append(out, t)
		if t.kind == tEOF {
			return out
		}
	}
}

// operators, longest first.
var operators = []string{"&&", "||", ";;", "<<-", ">>", "<<", ">&", "<&", "|", "&", ";", "<", ">", "(", ")", "\n"}

func (l *lexer) next() token {
	l.skipBlanks()
	if l.i >= len(l.s) {
		return token{kind: tEOF, line: l.line, fd: -1}
	}
	if fd, n := l.ioNumber(); n > 0 {
		l.i += n
		t := l.next()
		t.fd = fd
		return t
	}
	for _, op := range operators {
		if strings.HasPrefix(l.s[l.i:], op) {
			t := token{kind: tOp, op: op, line: l.line, fd: -1}
			l.i += len(op)
			switch op {
			case "\n":
				l.line++
				if err := l.hereBodies(); err != nil {
					t.err = err
				}
			case "<<", "<<-":
				t.here, t.err = l.hereStart(op == "<<-")
			}
			return t
		}
	}
	return l.word()
}

// skipBlanks skips spaces, tabs, line continuations and comments.
func (l *lexer) skipBlanks() {
	for l.i < len(l.s) {
		switch c := l.s[l.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			l.i++
		case c == '\\' && l.i+1 < len(l.s) && l.s[l.i+1] == '\n':
			l.i += 2
			l.line++
		case c == '#':
			for l.i < len(l.s) && l.s[l.i] != '\n' {
				l.i++
			}
		default:
			return
		}
	}
}

// ioNumber returns the descriptor of a redirection like "2>": digits
// followed at once by < or >.
func (l *lexer) ioNumber() (int, int) {
	j := l.i
	for j < len(l.s) && j-l.i < 4 && l.s[j] >= '0' && l.s[j] <= '9' {
		j++
	}
	if j == l.i || j >= len(l.s) || (l.s[j] != '<' && l.s[j] != '>') {
		return 0, 0
	}
	fd := 0
	for _, c := range l.s[l.i:j] {
		fd = fd*10 + int(c-'0')
	}
	return fd, j - l.i
}

// isMeta reports whether c ends an unquoted word.
func isMeta(c byte) bool { return strings.IndexByte(" \t\r\n;&|<>()", c) >= 0 }

// word reads one word.
func (l *lexer) word() token {
	t := token{kind: tWord, line: l.line, fd: -1}
	var lit strings.Builder
	quoted := false
	flush := func() {
		if lit.Len() > 0 {
			t.word = append(t.word, Part{Lit: lit.String(), Quoted: quoted})
			lit.Reset()
		}
	}
	for l.i < len(l.s) && !isMeta(l.s[l.i]) {
		c := l.s[l.i]
		switch {
		case c == '\\':
			l.i++
			if l.i >= len(l.s) {
				break
			}
			if l.s[l.i] == '\n' {
				l.i++
				l.line++
				continue
			}
			flush()
			t.word = append(t.word, Part{Lit: l.s[l.i : l.i+1], Quoted: true})
			l.i++
		case c == '\'':
			flush()
			end := strings.IndexByte(l.s[l.i+1:], '\'')
			if end < 0 {
				t.err = errIncomplete
				return t
			}
			text := l.s[l.i+1 : l.i+1+end]
			l.line += strings.Count(text, "\n")
			t.word = append(t.word, Part{Lit: text, Quoted: true})
			l.i += end + 2
		case c == '"':
			flush()
			if err := l.double(&t.word); err != nil {
				t.err = err
				return t
			}
		case c == '$' || c == '`':
			p, ok, err := l.dollar(false)
			if err != nil {
				t.err = err
				return t
			}
			if ok {
				flush()
				t.word = append(t.word, p)
				continue
			}
			lit.WriteByte(c)
			l.i++
		default:
			lit.WriteByte(c)
			l.i++
		}
	}
	flush()
	return t
}

// double reads a double-quoted string: $ expands, and a backslash quotes
// only $ ` " \ and a new line.
func (l *lexer) double(w *Word) error {
	l.i++ // the opening quote
	var lit strings.Builder
	start := len(*w)
	flush := func() {
		if lit.Len() > 0 {
			*w = append(*w, Part{Lit: lit.String(), Quoted: true})
			lit.Reset()
		}
	}
	for l.i < len(l.s) {
		c := l.s[l.i]
		switch {
		case c == '"':
			flush()
			l.i++
			if len(*w) == start {
				*w = append(*w, Part{Quoted: true}) // "" is an empty field, not none
			}
			return nil
		case c == '\\' && l.i+1 < len(l.s) && strings.IndexByte("$`\"\\\n", l.s[l.i+1]) >= 0:
			if l.s[l.i+1] != '\n' {
				lit.WriteByte(l.s[l.i+1])
			} else {
				l.line++
			}
			l.i += 2
		case c == '$' || c == '`':
			p, ok, err := l.dollar(true)
			if err != nil {
				return err
			}
			if ok {
				flush()
				*w = append(*w, p)
				continue
			}
			lit.WriteByte(c)
			l.i++
		default:
			if c == '\n' {
				l.line++
			}
			lit.WriteByte(c)
			l.i++
		}
	}
	return errIncomplete
}

// param reads a parameter at "$": $name, ${name}, or one of the special
// $? $$ $! $# $@ $* $0…$9. false when "$" is just a dollar sign.
func (l *lexer) param(quoted bool) (Part, bool) {
	rest := l.s[l.i+1:]
	if rest == "" {
		return Part{}, false
	}
	if strings.IndexByte("?$!#@*-0123456789", rest[0]) >= 0 {
		l.i += 2
		return Part{Param: rest[:1], Quoted: quoted}, true
	}
	if rest[0] == '{' {
		end := closingBrace(rest)
		if end < 0 || !validParam(rest[1:end]) {
			return Part{}, false
		}
		l.i += end + 2
		return Part{Param: rest[1:end], Quoted: quoted}, true
	}
	n := nameLen(rest)
	if n == 0 {
		return Part{}, false
	}
	l.i += 1 + n
	return Part{Param: rest[:n], Quoted: quoted}, true
}

// nameLen returns the length of the variable name at the start of s.
func nameLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return i
	}
	return len(s)
}

// validParam reports whether s may stand between ${ and }: a name, or
// ${#name}, or a name and an operator (:- - := = :+ + % %% # ##).
func validParam(s string) bool {
	if name, ok := strings.CutPrefix(s, "#"); ok && name != "" && validName(name) {
		return true
	}
	if i := strings.IndexAny(s, ":-=+%#?"); i > 0 && validName(s[:i]) {
		return true
	}
	return validName(s)
}

// validName reports whether s is a parameter's name: NAME, a number or a
// special parameter.
func validName(s string) bool {
	if len(s) == 1 && strings.IndexByte("?$!#@*-0123456789", s[0]) >= 0 {
		return true
	}
	if len(s) > 0 && strings.Trim(s, "0123456789") == "" {
		return true // ${10}
	}
	return s != "" && nameLen(s) == len(s)
}

// describe names a token for an error message.
func (t token) describe() string {
	switch {
	case t.kind == tEOF:
		return "end of file"
	case t.kind == tOp && t.op == "\n":
		return "newline"
	case t.kind == tOp:
		return fmt.Sprintf("'%s'", t.op)
	}
	return fmt.Sprintf("'%s'", t.word.String())
}

// String renders the word as it could be typed back.
func (w Word) String() string {
	var sb strings.Builder
	for _, p := range w {
		switch {
		case p.Kind != 0:
			sub := "$(" + p.Lit + ")"
			if p.Kind == ArithPart {
				sub = "$((" + p.Lit + "))"
			}
			if p.Quoted {
				sub = `"` + sub + `"`
			}
			sb.WriteString(sub)
		case p.Param != "" && p.Quoted:
			fmt.Fprintf(&sb, `"${%s}"`, p.Param)
		case p.Param != "":
			fmt.Fprintf(&sb, "${%s}", p.Param)
		case p.Quoted:
			sb.WriteString("'" + strings.ReplaceAll(p.Lit, "'", `'\''`) + "'")
		default:
			sb.WriteString(p.Lit)
		}
	}
	return sb.String()
}
