package sh

import (
	"strings"
)

// The lexer's nested pieces: command substitution ($(…) and `…`),
// arithmetic ($((…))), and here-documents, whose bodies follow the line
// of their << operator.

// hereDoc is a here-document: its delimiter, and its body once read.
type hereDoc struct {
	delim string
	strip bool // <<-: leading tabs are removed from each line
	raw   bool // the delimiter was quoted: the body is not expanded
	body  Word
	read  bool
}

// dollar reads what starts at "$" or "`": a parameter, a command
// substitution or an arithmetic expansion. false when it is just a
// character.
func (l *lexer) dollar(quoted bool) (Part, bool, error) {
	rest := l.s[l.i:]
	switch {
	case rest[0] == '`':
		end := strings.IndexByte(rest[1:], '`')
		if end < 0 {
			return Part{}, false, errIncomplete
		}
		body := strings.ReplaceAll(rest[1:1+end], "\\`", "`")
		l.advance(end + 2)
		return Part{Lit: body, Kind: SubstPart, Quoted: quoted}, true, nil
	case strings.HasPrefix(rest, "$(("):
		end := closingParens(rest[3:], 2)
		if end < 0 {
			return Part{}, false, errIncomplete
		}
		l.advance(3 + end + 2)
		return Part{Lit: rest[3 : 3+end], Kind: ArithPart, Quoted: quoted}, true, nil
	case strings.HasPrefix(rest, "$("):
		end := closingParens(rest[2:], 1)
		if end < 0 {
			return Part{}, false, errIncomplete
		}
		l.advance(2 + end + 1)
		return Part{Lit: rest[2 : 2+end], Kind: SubstPart, Quoted: quoted}, true, nil
	}
	p, ok := l.param(quoted)
	return p, ok, nil
}

// advance moves past n bytes, counting new lines.
func (l *lexer) advance(n int) {
	l.line += strings.Count(l.s[l.i:l.i+n], "\n")
	l.i += n
}

// closingParens returns the index in s of the first of n ")" that close
// the parentheses open before s (quotes skipped); -1 if none.
func closingParens(s string, n int) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return -1
			}
			i += end + 1
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
				continue
			}
			if strings.HasPrefix(s[i:], strings.Repeat(")", n)) {
				return i
			}
			return -1
		}
	}
	return -1
}

// closingBrace returns the index of the "}" that closes "${" at s[0]; -1
// if none.
func closingBrace(s string) int {
	depth := 0
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// hereStart reads the delimiter after << or <<- and queues the
// here-document for the next new line.
func (l *lexer) hereStart(strip bool) (*hereDoc, error) {
	l.skipBlanks()
	if l.i >= len(l.s) || isMeta(l.s[l.i]) {
		return nil, errIncomplete
	}
	t := l.word()
	if t.err != nil {
		return nil, t.err
	}
	h := &hereDoc{strip: strip}
	for _, p := range t.word {
		h.delim += p.Lit
		h.raw = h.raw || p.Quoted
		if !p.literal() {
			h.delim += "$" + p.Param
		}
	}
	l.pending = append(l.pending, h)
	return h, nil
}

// hereBodies reads the bodies of the queued here-documents, which start
// at the current position (just after a new line).
func (l *lexer) hereBodies() error {
	for _, h := range l.pending {
		var body strings.Builder
		found := false
		for l.i < len(l.s) {
			end := strings.IndexByte(l.s[l.i:], '\n')
			line := l.s[l.i:]
			if end >= 0 {
				line = l.s[l.i : l.i+end+1]
			}
			l.advance(len(line))
			text := strings.TrimSuffix(line, "\n")
			if h.strip {
				text = strings.TrimLeft(text, "\t")
				line = strings.TrimLeft(line, "\t")
			}
			if text == h.delim {
				found = true
				break
			}
			body.WriteString(line)
		}
		if !found {
			return errIncomplete
		}
		h.body, h.read = hereWord(body.String(), h.raw), true
	}
	l.pending = nil
	return nil
}

// hereWord is a here-document's body as a word: expanded as in double
// quotes (but a " is itself) unless raw.
func hereWord(body string, raw bool) Word {
	if raw {
		return Word{{Lit: body, Quoted: true}}
	}
	return expandable(body)
}

// expandable lexes text in which $, ` and \ are special and nothing else
// is (a here-document, a ${x:-word}'s word, an arithmetic expression).
func expandable(text string) Word {
	l := &lexer{s: text, line: 1}
	w := Word{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			w = append(w, Part{Lit: lit.String(), Quoted: true})
			lit.Reset()
		}
	}
	for l.i < len(l.s) {
		c := l.s[l.i]
		switch {
		case c == '\\' && l.i+1 < len(l.s) && strings.IndexByte("$`\\", l.s[l.i+1]) >= 0:
			lit.WriteByte(l.s[l.i+1])
			l.i += 2
		case c == '$' || c == '`':
			if p, ok, err := l.dollar(true); err == nil && ok {
				flush()
				w = append(w, p)
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
	if len(w) == 0 {
		w = Word{{Quoted: true}}
	}
	return w
}
