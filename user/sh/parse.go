package sh

import (
	"fmt"
	"strconv"
	"strings"
)

// The grammar, a subset of POSIX sh's (LECTURE: shell-grammar):
//
//	program   = { list sep }
//	list      = and_or { (";" | "&") and_or } [";" | "&"]
//	and_or    = pipeline { ("&&" | "||") { newline } pipeline }
//	pipeline  = ["!"] command { "|" { newline } command }
//	command   = compound { redirect } | NAME "(" ")" compound
//	          | { assignment | redirect } { word | redirect }
//	compound  = "{" clist "}" | "(" clist ")" | if | while | until | for | case
//	if        = "if" clist "then" clist { "elif" clist "then" clist } [ "else" clist ] "fi"
//	while     = ("while" | "until") clist "do" clist "done"
//	for       = "for" NAME [ "in" { word } ] sep "do" clist "done"
//	case      = "case" word "in" { ["("] word { "|" word } ")" clist [";;"] } "esac"
//	redirect  = [digits] ("<" | ">" | ">>" | ">&" | "<&" | "<<" | "<<-") word
//
// (clist is a list spread over lines: parse_compound.go.)
// A list ends at a new line; Parser.Next returns one at a time, so that a
// script runs up to its first syntax error, and a variable set on one line
// is there for the next.

// List is commands run one after the other; an AndOr marked Bg runs in
// the background.
type List []*AndOr

// AndOr is pipelines joined by && and ||: Ops[i] joins Pipes[i] and
// Pipes[i+1].
type AndOr struct {
	Pipes []*Pipeline
	Ops   []string
	Bg    bool
}

// Pipeline is commands joined by pipes; Not inverts its status.
type Pipeline struct {
	Not  bool
	Cmds []*Cmd
}

// Cmd is a simple command (assignments, words and redirections) or, when
// Comp is set, a compound command or function definition with its
// redirections.
type Cmd struct {
	Assigns []Assign
	Words   []Word
	Redirs  []Redir
	Comp    Node
}

// Assign is NAME=value before a command's words.
type Assign struct {
	Name  string
	Value Word
}

// Redir is a redirection: descriptor Fd, operator Op (<, >, >>, >&, <&)
// and the target (a path, or for >& and <& a descriptor number or -).
type Redir struct {
	Fd     int
	Op     string
	Target Word
	Here   *hereDoc // << and <<-
}

// SyntaxError is a parse error at a line.
type SyntaxError struct {
	Line int
	Msg  string
	// Incomplete: the input ended inside a command; more input may
	// complete it.
	Incomplete bool
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d: syntax error: %s", e.Line, e.Msg)
}

// Parser parses shell text one list at a time.
type Parser struct {
	toks []token
	i    int
}

// NewParser returns a parser of src.
func NewParser(src string) *Parser { return &Parser{toks: lex(src)} }

// Parse parses the whole of src (for tests and tools).
func Parse(src string) (List, error) {
	p := NewParser(src)
	var all List
	for {
		l, err := p.Next()
		if err != nil || l == nil {
			return all, err
		}
		all = append(all, l...)
	}
}

// Next returns the next line's list; nil, nil at the end of the input.
// Empty lines are skipped.
func (p *Parser) Next() (List, error) {
	for p.peek().kind == tOp && p.peek().op == "\n" {
		p.i++
	}
	if t := p.peek(); t.kind == tEOF && t.err == nil {
		return nil, nil
	}
	l, err := p.list()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	switch {
	case t.kind == tEOF && t.err == nil:
	case t.kind == tOp && t.op == "\n":
		p.i++
	default:
		return nil, p.unexpected(t)
	}
	return l, nil
}

func (p *Parser) peek() token { return p.toks[p.i] }

// isOp reports whether the next token is operator op.
func (p *Parser) isOp(op string) bool {
	t := p.peek()
	return t.kind == tOp && t.op == op && t.fd < 0
}

// unexpected is the error for token t.
func (p *Parser) unexpected(t token) error {
	if t.err != nil || t.kind == tEOF {
		return &SyntaxError{Line: t.line, Msg: "unexpected end of file", Incomplete: true}
	}
	return &SyntaxError{Line: t.line, Msg: "unexpected " + t.describe()}
}

func (p *Parser) list() (List, error) {
	var l List
	for {
		ao, err := p.andOr()
		if err != nil {
			return nil, err
		}
		l = append(l, ao)
		switch {
		case p.isOp("&"):
			ao.Bg = true
			p.i++
		case p.isOp(";"):
			p.i++
		default:
			return l, nil
		}
		if t := p.peek(); t.kind == tEOF && t.err == nil || p.isOp("\n") {
			return l, nil
		}
	}
}

func (p *Parser) andOr() (*AndOr, error) {
	pl, err := p.pipeline()
	if err != nil {
		return nil, err
	}
	ao := &AndOr{Pipes: []*Pipeline{pl}}
	for p.isOp("&&") || p.isOp("||") {
		ao.Ops = append(ao.Ops, p.peek().op)
		p.i++
		p.newlines()
		if pl, err = p.pipeline(); err != nil {
			return nil, err
		}
		ao.Pipes = append(ao.Pipes, pl)
	}
	return ao, nil
}

// newlines skips new lines after an operator that needs more.
func (p *Parser) newlines() {
	for p.isOp("\n") {
		p.i++
	}
}

func (p *Parser) pipeline() (*Pipeline, error) {
	pl := &Pipeline{}
	if t := p.peek(); t.kind == tWord && len(t.word) == 1 && t.word[0].Lit == "!" && !t.word[0].Quoted {
		pl.Not = true
		p.i++
	}
	for {
		c, err := p.command()
		if err != nil {
			return nil, err
		}
		pl.Cmds = append(pl.Cmds, c)
		if !p.isOp("|") {
			return pl, nil
		}
		p.i++
		p.newlines()
	}
}

func (p *Parser) command() (*Cmd, error) {
	c := &Cmd{}
	if comp, ok, err := p.compound(); ok || err != nil {
		if err != nil {
			return nil, err
		}
		c.Comp = comp
		return c, p.redirects(c)
	}
	for {
		t := p.peek()
		switch {
		case t.err != nil, len(c.Words)+len(c.Assigns)+len(c.Redirs) == 0 && p.atEnd(nil):
			return nil, p.unexpected(t)
		case t.kind == tWord && len(c.Words) == 0 && isAssignment(t.word):
			c.Assigns = append(c.Assigns, assignment(t.word))
			p.i++
		case t.kind == tWord && len(c.Words) == 0 && len(c.Assigns) == 0 && p.funcStart():
			fn, err := p.funcDef()
			if err != nil {
				return nil, err
			}
			c.Comp = fn
			return c, nil
		case t.kind == tWord:
			c.Words = append(c.Words, t.word)
			p.i++
		case t.kind == tOp && strings.ContainsAny(t.op, "<>"):
			r, err := p.redirect()
			if err != nil {
				return nil, err
			}
			c.Redirs = append(c.Redirs, r)
		default:
			if len(c.Words)+len(c.Assigns)+len(c.Redirs) == 0 {
				return nil, p.unexpected(t)
			}
			return c, nil
		}
	}
}

func (p *Parser) redirect() (Redir, error) {
	t := p.peek()
	p.i++
	r := Redir{Fd: t.fd, Op: t.op, Here: t.here}
	if t.here != nil {
		if t.err != nil {
			return r, p.unexpected(t)
		}
		if r.Fd < 0 {
			r.Fd = 0
		}
		return r, nil
	}
	if r.Fd < 0 {
		r.Fd = 1
		if t.op[0] == '<' {
			r.Fd = 0
		}
	}
	target := p.peek()
	if target.kind != tWord || target.err != nil {
		return r, p.unexpected(target)
	}
	p.i++
	r.Target = target.word
	return r, nil
}

// isAssignment reports whether w is NAME=…, with NAME unquoted.
func isAssignment(w Word) bool {
	if len(w) == 0 || w[0].Quoted || w[0].Param != "" {
		return false
	}
	name, _, ok := strings.Cut(w[0].Lit, "=")
	return ok && name != "" && nameLen(name) == len(name)
}

// assignment splits NAME=value.
func assignment(w Word) Assign {
	name, rest, _ := strings.Cut(w[0].Lit, "=")
	value := Word{}
	if rest != "" {
		value = append(value, Part{Lit: rest})
	}
	return Assign{Name: name, Value: append(value, w[1:]...)}
}

// String renders the list in a canonical form: one space between words,
// redirections after the words, "; " between commands.
func (l List) String() string {
	var parts []string
	for i, ao := range l {
		s := ao.String()
		if ao.Bg {
			s += " &"
		} else if i < len(l)-1 {
			s += ";"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func (ao *AndOr) String() string {
	s := ao.Pipes[0].String()
	for i, op := range ao.Ops {
		s += " " + op + " " + ao.Pipes[i+1].String()
	}
	return s
}

func (pl *Pipeline) String() string {
	var cmds []string
	for _, c := range pl.Cmds {
		cmds = append(cmds, c.String())
	}
	s := strings.Join(cmds, " | ")
	if pl.Not {
		s = "! " + s
	}
	return s
}

func (c *Cmd) String() string {
	var out []string
	for _, a := range c.Assigns {
		out = append(out, a.Name+"="+a.Value.String())
	}
	for _, w := range c.Words {
		out = append(out, w.String())
	}
	if c.Comp != nil {
		out = append(out, c.Comp.String())
	}
	for _, r := range c.Redirs {
		if r.Here != nil {
			out = append(out, strconv.Itoa(r.Fd)+"<<'"+r.Here.delim+"'")
			continue
		}
		out = append(out, strconv.Itoa(r.Fd)+r.Op+r.Target.String())
	}
	return strings.Join(out, " ")
}
