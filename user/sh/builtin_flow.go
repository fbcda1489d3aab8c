package sh

import (
	"strconv"
	"strings"

	"github.com/mkos/mkos/user/ulib"
)

// Builtins for scripts: the flow of control (return, break, continue),
// the positional parameters (shift), variables (local, read), eval, and
// true and false (which would otherwise cost a process each time a loop
// tests them).

// flowCount parses the optional count of break, continue and shift.
func (s *Shell) flowCount(argv []string, io stdio) (int, bool) {
	if len(argv) < 2 {
		return 1, true
	}
	n, err := strconv.Atoi(argv[1])
	if err != nil || n < 0 {
		s.builtinError(io, argv[0], "%s: numeric argument required", argv[1])
		return 0, false
	}
	return n, true
}

// ret leaves the running function (or sourced script) with a status.
func (s *Shell) ret(argv []string, io stdio) int {
	code := s.status
	if len(argv) > 1 {
		n, err := strconv.Atoi(argv[1])
		if err != nil {
			return s.builtinError(io, "return", "%s: numeric argument required", argv[1]) + 1
		}
		code = n & 0xff
	}
	s.returning = true
	return code
}

// brk leaves the innermost N loops (1 by default).
func (s *Shell) brk(argv []string, io stdio) int {
	n, ok := s.flowCount(argv, io)
	if !ok || n < 1 {
		return 1
	}
	if s.loops == 0 {
		return 0 // as dash: outside a loop it does nothing
	}
	s.breaking = min(n, s.loops)
	return 0
}

// cont goes on with the next round of the innermost loop (of the Nth
// loop out: the N-1 inner ones are left).
func (s *Shell) cont(argv []string, io stdio) int {
	n, ok := s.flowCount(argv, io)
	if !ok || n < 1 {
		return 1
	}
	if s.loops == 0 {
		return 0
	}
	s.breaking = min(n, s.loops) - 1
	s.next = true
	return 0
}

// shift drops the first N positional parameters.
func (s *Shell) shift(argv []string, io stdio) int {
	n, ok := s.flowCount(argv, io)
	if !ok {
		return 1
	}
	if n > len(s.args) {
		return s.builtinError(io, "shift", "can't shift that many")
	}
	s.args = s.args[n:]
	return 0
}

// local makes variables local to the running function: their values are
// put back when it returns.
func (s *Shell) local(argv []string, io stdio) int {
	if len(s.callStack) == 0 {
		return s.builtinError(io, "local", "not in a function")
	}
	saved := s.callStack[len(s.callStack)-1]
	for _, a := range argv[1:] {
		k, v, set := strings.Cut(a, "=")
		if k == "" || nameLen(k) != len(k) {
			return s.builtinError(io, "local", "%s: bad variable name", a)
		}
		if _, done := saved[k]; !done {
			if old, ok := s.vars[k]; ok {
				saved[k] = &old
			} else {
				saved[k] = nil
			}
		}
		if set {
			s.vars[k] = v
		}
	}
	return 0
}

// read reads a line from the standard input into variables, split as
// $IFS says (the last gets the rest); -r keeps backslashes. The status is 1
// at the end of the input.
func (s *Shell) read(argv []string, io stdio) int {
	args := argv[1:]
	raw := len(args) > 0 && args[0] == "-r"
	if raw {
		args = args[1:]
	}
	if len(args) == 0 {
		args = []string{"REPLY"}
	}
	line, ok := s.readLineFrom(io.fd(0))
	if !raw {
		line = strings.ReplaceAll(strings.ReplaceAll(line, "\\\n", ""), `\`, "")
	}
	ifs := s.ifs()
	line = trimIFSSpace(line, ifs)
	for i, name := range args {
		if i == len(args)-1 {
			s.vars[name] = line
			break
		}
		s.vars[name], line = cutIFS(line, ifs)
	}
	return boolStatus(ok)
}

// readLineFrom reads up to a new line, a byte at a time so as to leave the
// rest for whoever reads next; false at the end of the input with
// nothing read.
func (s *Shell) readLineFrom(fd int) (string, bool) {
	var sb strings.Builder
	b := make([]byte, 1)
	for {
		n, err := s.p.Read(fd, b)
		if n == 0 || err != nil {
			if err != nil && sb.Len() == 0 {
				s.errorf("read: %s", ulib.Strerror(err))
			}
			return sb.String(), false
		}
		if b[0] == '\n' {
			return sb.String(), true
		}
		sb.WriteByte(b[0])
	}
}

// eval runs its arguments, joined by spaces, as shell text.
func (s *Shell) eval(argv []string, io stdio) int {
	l, err := Parse(strings.Join(argv[1:], " "))
	if err != nil {
		s.builtinError(io, "eval", "%v", err)
		return 2
	}
	s.status = 0
	s.runList(l)
	return s.status
}
