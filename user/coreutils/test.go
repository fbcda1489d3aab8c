package coreutils

import (
	"strconv"

	"github.com/mkos/mkos/ipc/fsproto"
)

// test EXPRESSION and [ EXPRESSION ] evaluate a condition: the status is
// 0 when it holds, 1 when it does not, 2 on a malformed expression.
//
//	-e -f -d -L -h -s -r -w -x FILE   exists, regular, directory, link,
//	                                  not empty, readable, writable,
//	                                  executable
//	-n S, -z S, S                     not empty, empty, not empty
//	S = T, S != T                     strings equal, differ
//	A -eq -ne -lt -le -gt -ge B       integers compare
//	! E, E -a E, E -o E, ( E )        not, and, or, grouping
func test(u *U, args []string) int {
	if u.name == "[" {
		if len(args) == 0 || args[len(args)-1] != "]" {
			u.fail("missing ']'")
			return 2
		}
		args = args[:len(args)-1]
	}
	if len(args) == 0 {
		return 1
	}
	t := &tester{u: u, args: args}
	ok := t.or()
	if t.err == "" && t.i < len(args) {
		t.err = "unexpected argument '" + args[t.i] + "'"
	}
	if t.err != "" {
		u.fail("%s", t.err)
		return 2
	}
	if ok {
		return 0
	}
	return 1
}

// tester parses and evaluates a test expression.
type tester struct {
	u    *U
	args []string
	i    int
	err  string
}

func (t *tester) peek(k int) (string, bool) {
	if t.i+k < len(t.args) {
		return t.args[t.i+k], true
	}
	return "", false
}

func (t *tester) or() bool {
	v := t.and()
	for a, _ := t.peek(0); a == "-o" && t.err == ""; a, _ = t.peek(0) {
		t.i++
		v = t.and() || v
	}
	return v
}

func (t *tester) and() bool {
	v := t.not()
	for a, _ := t.peek(0); a == "-a" && t.err == ""; a, _ = t.peek(0) {
		t.i++
		v = t.not() && v
	}
	return v
}

func (t *tester) not() bool {
	if a, _ := t.peek(0); a == "!" && len(t.args)-t.i > 1 {
		t.i++
		return !t.not()
	}
	return t.primary()
}

// binaryOps are test's binary operators.
var testBinary = map[string]bool{"=": true, "!=": true, "-eq": true, "-ne": true,
	"-lt": true, "-le": true, "-gt": true, "-ge": true}

func (t *tester) primary() bool {
	a, ok := t.peek(0)
	if !ok {
		t.err = "argument expected"
		return false
	}
	if op, ok := t.peek(1); ok && testBinary[op] {
		b, ok := t.peek(2)
		if !ok {
			t.err = "argument expected after " + op
			return false
		}
		t.i += 3
		return t.binary(a, op, b)
	}
	if a == "(" {
		t.i++
		v := t.or()
		if c, _ := t.peek(0); c != ")" {
			t.err = "missing ')'"
			return false
		}
		t.i++
		return v
	}
	if len(a) == 2 && a[0] == '-' && t.i+1 < len(t.args) {
		if v, known := t.unary(a[1], t.args[t.i+1]); known {
			t.i += 2
			return v
		}
	}
	t.i++
	return a != ""
}

// unary evaluates -c arg; known is false for an unknown operator.
func (t *tester) unary(c byte, arg string) (v, known bool) {
	switch c {
	case 'n':
		return arg != "", true
	case 'z':
		return arg == "", true
	case 'r', 'w', 'x':
		mode := map[byte]uint32{'r': fsproto.AccessR, 'w': fsproto.AccessW, 'x': fsproto.AccessX}[c]
		return t.u.Access(arg, mode) == nil, true
	case 'L', 'h':
		a, err := t.u.Lstat(arg)
		return err == nil && a.IsSymlink(), true
	case 'e', 'f', 'd', 's':
		a, err := t.u.Stat(arg)
		switch {
		case err != nil:
			return false, true
		case c == 'f':
			return a.IsRegular(), true
		case c == 'd':
			return a.IsDir(), true
		case c == 's':
			return a.Size > 0, true
		}
		return true, true
	}
	return false, false
}

// binary evaluates a op b.
func (t *tester) binary(a, op, b string) bool {
	switch op {
	case "=":
		return a == b
	case "!=":
		return a != b
	}
	x, err1 := strconv.ParseInt(a, 10, 64)
	y, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil {
		bad := a
		if err1 == nil {
			bad = b
		}
		t.err = "integer expression expected: " + bad
		return false
	}
	switch op {
	case "-eq":
		return x == y
	case "-ne":
		return x != y
	case "-lt":
		return x < y
	case "-le":
		return x <= y
	case "-gt":
		return x > y
	}
	return x >= y
}
