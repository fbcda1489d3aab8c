package sh

import (
	"strings"
)

// Compound commands and function definitions: the parts of the grammar
// that span lines (parse.go has the whole grammar).

// Node is a compound command or a function definition.
type Node interface{ String() string }

// If is if/elif/else: Bodies[i] runs when Conds[i] succeeds, Else when
// none does.
type If struct {
	Conds, Bodies []List
	Else          List
}

// Loop is while (Until false) or until: Body runs while Cond succeeds (or
// fails).
type Loop struct {
	Until      bool
	Cond, Body List
}

// For runs Body with Var set to each field of Words ("$@" without in).
type For struct {
	Var   string
	Words []Word
	NoIn  bool
	Body  List
}

// Case runs the body of the first item a pattern of which matches Word.
type Case struct {
	Word  Word
	Items []CaseItem
}

// CaseItem is one pattern list and its body.
type CaseItem struct {
	Patterns []Word
	Body     List
}

// Group is { list; } (run in the shell) or ( list ) (Sub: a subshell).
type Group struct {
	Sub  bool
	Body List
}

// FuncDef defines function Name.
type FuncDef struct {
	Name string
	Body *Cmd
}

// reserved reports whether t is reserved word w (an unquoted word alone).
func reserved(t token, w string) bool {
	return t.kind == tWord && len(t.word) == 1 && t.word[0].literal() && !t.word[0].Quoted && t.word[0].Lit == w
}

// closers are the reserved words that end a part of a compound command;
// none of them starts a command.
var closers = []string{"then", "elif", "else", "fi", "do", "done", "esac", "}"}

// atEnd reports whether the next token ends a clist: one of ends (reserved
// words, or the operators ")" and ";;"), or the end of the input.
func (p *Parser) atEnd(ends []string) bool {
	t := p.peek()
	if t.kind == tEOF {
		return true
	}
	for _, e := range closers {
		if reserved(t, e) {
			return true // the caller's expect reports a misplaced one
		}
	}
	for _, e := range ends {
		if (e == ")" || e == ";;") && p.isOp(e) {
			return true
		}
	}
	return false
}

// clist parses and-or lists over any number of lines up to one of ends.
func (p *Parser) clist(ends ...string) (List, error) {
	var l List
	for {
		p.newlines()
		if p.atEnd(ends) {
			return l, nil
		}
		ao, err := p.andOr()
		if err != nil {
			return nil, err
		}
		l = append(l, ao)
		switch {
		case p.isOp("&"):
			ao.Bg = true
			p.i++
		case p.isOp(";") || p.isOp("\n"):
			p.i++
		case !p.atEnd(ends):
			return nil, p.unexpected(p.peek())
		}
	}
}

// expect consumes reserved word w.
func (p *Parser) expect(w string) error {
	if !reserved(p.peek(), w) {
		return p.unexpected(p.peek())
	}
	p.i++
	return nil
}

// compound parses a compound command if one starts here.
func (p *Parser) compound() (Node, bool, error) {
	t := p.peek()
	if p.isOp("(") {
		p.i++
		body, err := p.clist(")")
		if err == nil && !p.isOp(")") {
			err = p.unexpected(p.peek())
		}
		p.i++
		return &Group{Sub: true, Body: body}, true, err
	}
	var parse func() (Node, error)
	switch {
	case reserved(t, "{"):
		parse = p.braceGroup
	case reserved(t, "if"):
		parse = p.ifClause
	case reserved(t, "while"), reserved(t, "until"):
		parse = p.loop
	case reserved(t, "for"):
		parse = p.forClause
	case reserved(t, "case"):
		parse = p.caseClause
	default:
		return nil, false, nil
	}
	n, err := parse()
	return n, true, err
}

func (p *Parser) braceGroup() (Node, error) {
	p.i++
	body, err := p.clist("}")
	if err != nil {
		return nil, err
	}
	return &Group{Body: body}, p.expect("}")
}

func (p *Parser) ifClause() (Node, error) {
	n := &If{}
	for reserved(p.peek(), "if") || reserved(p.peek(), "elif") {
		p.i++
		cond, err := p.clist("then")
		if err != nil {
			return nil, err
		}
		if err := p.expect("then"); err != nil {
			return nil, err
		}
		body, err := p.clist("elif", "else", "fi")
		if err != nil {
			return nil, err
		}
		n.Conds, n.Bodies = append(n.Conds, cond), append(n.Bodies, body)
	}
	if reserved(p.peek(), "else") {
		p.i++
		var err error
		if n.Else, err = p.clist("fi"); err != nil {
			return nil, err
		}
	}
	return n, p.expect("fi")
}

func (p *Parser) loop() (Node, error) {
	n := &Loop{Until: reserved(p.peek(), "until")}
	p.i++
	var err error
	if n.Cond, err = p.clist("do"); err != nil {
		return nil, err
	}
	n.Body, err = p.doGroup()
	return n, err
}

// doGroup parses do clist done.
func (p *Parser) doGroup() (List, error) {
	p.newlines()
	if err := p.expect("do"); err != nil {
		return nil, err
	}
	body, err := p.clist("done")
	if err != nil {
		return nil, err
	}
	return body, p.expect("done")
}

func (p *Parser) forClause() (Node, error) {
	p.i++
	t := p.peek()
	if t.kind != tWord || len(t.word) != 1 || !t.word[0].literal() || nameLen(t.word[0].Lit) != len(t.word[0].Lit) {
		return nil, p.unexpected(t)
	}
	n := &For{Var: t.word[0].Lit, NoIn: true}
	p.i++
	p.newlines()
	if reserved(p.peek(), "in") {
		n.NoIn = false
		p.i++
		for p.peek().kind == tWord {
			n.Words = append(n.Words, p.peek().word)
			p.i++
		}
	}
	if p.isOp(";") || p.isOp("\n") {
		p.i++
	}
	var err error
	n.Body, err = p.doGroup()
	return n, err
}

func (p *Parser) caseClause() (Node, error) {
	p.i++
	t := p.peek()
	if t.kind != tWord {
		return nil, p.unexpected(t)
	}
	n := &Case{Word: t.word}
	p.i++
	p.newlines()
	if err := p.expect("in"); err != nil {
		return nil, err
	}
	for {
		p.newlines()
		if reserved(p.peek(), "esac") {
			p.i++
			return n, nil
		}
		item, err := p.caseItem()
		if err != nil {
			return nil, err
		}
		n.Items = append(n.Items, item)
	}
}

func (p *Parser) caseItem() (CaseItem, error) {
	var item CaseItem
	if p.isOp("(") {
		p.i++
	}
	for {
		t := p.peek()
		if t.kind != tWord {
			return item, p.unexpected(t)
		}
		item.Patterns = append(item.Patterns, t.word)
		p.i++
		if !p.isOp("|") {
			break
		}
		p.i++
	}
	if !p.isOp(")") {
		return item, p.unexpected(p.peek())
	}
	p.i++
	var err error
	if item.Body, err = p.clist(";;", "esac"); err != nil {
		return item, err
	}
	if p.isOp(";;") {
		p.i++
	} else if !reserved(p.peek(), "esac") {
		return item, p.unexpected(p.peek())
	}
	return item, nil
}

// funcStart reports whether NAME ( ) starts here.
func (p *Parser) funcStart() bool {
	t := p.peek()
	if p.i+2 >= len(p.toks) || len(t.word) != 1 || !t.word[0].literal() || t.word[0].Quoted {
		return false
	}
	name := t.word[0].Lit
	a, b := p.toks[p.i+1], p.toks[p.i+2]
	return nameLen(name) == len(name) && a.kind == tOp && a.op == "(" && b.kind == tOp && b.op == ")"
}

func (p *Parser) funcDef() (Node, error) {
	fn := &FuncDef{Name: p.peek().word[0].Lit}
	p.i += 3
	p.newlines()
	comp, ok, err := p.compound()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, p.unexpected(p.peek())
	}
	fn.Body = &Cmd{Comp: comp}
	return fn, p.redirects(fn.Body)
}

// redirects parses the redirections after a compound command.
func (p *Parser) redirects(c *Cmd) error {
	for t := p.peek(); t.kind == tOp && strings.ContainsAny(t.op, "<>"); t = p.peek() {
		r, err := p.redirect()
		if err != nil {
			return err
		}
		c.Redirs = append(c.Redirs, r)
	}
	return nil
}

func (n *If) String() string {
	var sb strings.Builder
	for i := range n.Conds {
		kw := "if "
		if i > 0 {
			kw = " elif "
		}
		sb.WriteString(kw + n.Conds[i].clause() + " then " + n.Bodies[i].clause())
	}
	if n.Else != nil {
		sb.WriteString(" else " + n.Else.clause())
	}
	return sb.String() + " fi"
}

func (n *Loop) String() string {
	kw := "while "
	if n.Until {
		kw = "until "
	}
	return kw + n.Cond.clause() + " do " + n.Body.clause() + " done"
}

func (n *For) String() string {
	s := "for " + n.Var
	if !n.NoIn {
		s += " in"
		for _, w := range n.Words {
			s += " " + w.String()
		}
	}
	return s + "; do " + n.Body.clause() + " done"
}

func (n *Case) String() string {
	s := "case " + n.Word.String() + " in"
	for _, it := range n.Items {
		var pats []string
		for _, w := range it.Patterns {
			pats = append(pats, w.String())
		}
		s += " " + strings.Join(pats, "|") + ") " + it.Body.clause() + ";"
	}
	return s + " esac"
}

func (n *Group) String() string {
	if n.Sub {
		return "( " + n.Body.clause() + " )"
	}
	return "{ " + n.Body.clause() + " }"
}

func (n *FuncDef) String() string { return n.Name + "() " + n.Body.String() }

// clause renders a list inside a compound command: ended by ";" unless
// it ends with "&".
func (l List) clause() string {
	s := l.String()
	if len(l) == 0 || !l[len(l)-1].Bg {
		s += ";"
	}
	return s
}
