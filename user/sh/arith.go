package sh

import (
	"errors"
	"strconv"
	"strings"
)

// Arithmetic expansion, $((…)): integers (64-bit) with C's operators and
// precedence — unary + - ! ~, * / %, + -, << >>, < <= > >=, == !=, &, ^,
// |, &&, ||, ?: — parentheses, variables by name (unset or empty is 0), and
// assignment with = += -= *= /= %=.

// arith evaluates expr; an error is reported and gives 0 (and status 1).
func (s *Shell) arith(expr string) string {
	a := &arithParser{s: s, src: s.text(expandable(expr))}
	v, err := a.assign()
	a.blanks()
	if err == nil && a.i < len(a.src) {
		err = errors.New("syntax error in expression")
	}
	if err != nil {
		s.errorf("arithmetic: %s: %s", strings.TrimSpace(expr), err)
		s.substRan, s.substSt = true, 1
		return "0"
	}
	return strconv.FormatInt(v, 10)
}

// arithParser is a precedence-climbing evaluator over src.
type arithParser struct {
	s   *Shell
	src string
	i   int
}

// binaryOps are the binary operators by precedence, lowest first.
var binaryOps = [][]string{
	{"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<=", ">=", "<", ">"},
	{"<<", ">>"}, {"+", "-"}, {"*", "/", "%"},
}

func (a *arithParser) blanks() {
	for a.i < len(a.src) && strings.IndexByte(" \t\n", a.src[a.i]) >= 0 {
		a.i++
	}
}

// op consumes operator o if it is next (and not the start of a longer
// one that is not o).
func (a *arithParser) op(o string) bool {
	a.blanks()
	if !strings.HasPrefix(a.src[a.i:], o) {
		return false
	}
	rest := a.src[a.i+len(o):]
	if len(o) == 1 && rest != "" && strings.Contains("|&<>=", o) && (rest[0] == o[0] || rest[0] == '=') {
		return false // | of ||, < of <=, & of &&, …
	}
	if (o == "<" || o == ">") && strings.HasPrefix(rest, "=") {
		return false
	}
	a.i += len(o)
	return true
}

func (a *arithParser) assign() (int64, error) {
	a.blanks()
	start := a.i
	if n := nameLen(a.src[a.i:]); n > 0 {
		name := a.src[a.i : a.i+n]
		a.i += n
		a.blanks()
		for _, o := range []string{"=", "+=", "-=", "*=", "/=", "%="} {
			if strings.HasPrefix(a.src[a.i:], o) && !strings.HasPrefix(a.src[a.i:], "==") {
				a.i += len(o)
				v, err := a.assign()
				if err != nil {
					return 0, err
				}
				if o != "=" {
					if v, err = apply(o[:1], a.variable(name), v); err != nil {
						return 0, err
					}
				}
				a.s.vars[name] = strconv.FormatInt(v, 10)
				return v, nil
			}
		}
	}
	a.i = start
	return a.ternary()
}

func (a *arithParser) ternary() (int64, error) {
	c, err := a.binary(0)
	if err != nil || !a.op("?") {
		return c, err
	}
	x, err := a.assign()
	if err != nil {
		return 0, err
	}
	if !a.op(":") {
		return 0, errors.New("expected ':'")
	}
	y, err := a.assign()
	if c != 0 {
		return x, err
	}
	return y, err
}

func (a *arithParser) binary(level int) (int64, error) {
	if level == len(binaryOps) {
		return a.unary()
	}
	x, err := a.binary(level + 1)
	for err == nil {
		matched := ""
		for _, o := range binaryOps[level] {
			if a.op(o) {
				matched = o
				break
			}
		}
		if matched == "" {
			return x, nil
		}
		var y int64
		if y, err = a.binary(level + 1); err == nil {
			x, err = apply(matched, x, y)
		}
	}
	return 0, err
}

// apply computes x o y.
func apply(o string, x, y int64) (int64, error) {
	b := func(ok bool) int64 {
		if ok {
			return 1
		}
		return 0
	}
	switch o {
	case "||":
		return b(x != 0 || y != 0), nil
	case "&&":
		return b(x != 0 && y != 0), nil
	case "|":
		return x | y, nil
	case "^":
		return x ^ y, nil
	case "&":
		return x & y, nil
	case "==":
		return b(x == y), nil
	case "!=":
		return b(x != y), nil
	case "<":
		return b(x < y), nil
	case "<=":
		return b(x <= y), nil
	case ">":
		return b(x > y), nil
	case ">=":
		return b(x >= y), nil
	case "<<":
		return x << uint64(y&63), nil
	case ">>":
		return x >> uint64(y&63), nil
	case "+":
		return x + y, nil
	case "-":
		return x - y, nil
	case "*":
		return x * y, nil
	}
	if y == 0 {
		return 0, errors.New("division by zero")
	}
	if o == "/" {
		return x / y, nil
	}
	return x % y, nil
}

func (a *arithParser) unary() (int64, error) {
	for _, o := range []string{"-", "+", "!", "~"} {
		if a.op(o) {
			v, err := a.unary()
			switch o {
			case "-":
				v = -v
			case "!":
				v = map[bool]int64{true: 1, false: 0}[v == 0]
			case "~":
				v = ^v
			}
			return v, err
		}
	}
	return a.primary()
}

func (a *arithParser) primary() (int64, error) {
	a.blanks()
	if a.op("(") {
		v, err := a.assign()
		if err == nil && !a.op(")") {
			err = errors.New("expected ')'")
		}
		return v, err
	}
	rest := a.src[a.i:]
	if n := nameLen(rest); n > 0 {
		a.i += n
		return a.variable(rest[:n]), nil
	}
	n := 0
	for n < len(rest) && (rest[n] >= '0' && rest[n] <= '9' || n > 0 && strings.IndexByte("xXabcdefABCDEF", rest[n]) >= 0) {
		n++
	}
	if n == 0 {
		return 0, errors.New("syntax error: operand expected")
	}
	a.i += n
	v, err := strconv.ParseInt(rest[:n], 0, 64)
	if err != nil {
		return 0, errors.New("bad number " + rest[:n])
	}
	return v, nil
}

// variable is a variable's value as a number (0 if unset or not one).
func (a *arithParser) variable(name string) int64 {
	v, _ := strconv.ParseInt(strings.TrimSpace(a.s.vars[name]), 0, 64)
	return v
}
