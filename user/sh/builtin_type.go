package sh

import "strings"

// What a name is: type NAME and command -v NAME say whether the shell
// runs it as a function, a builtin or a program of $PATH, as POSIX's
// command -v and type do. (`command NAME ARGS`, which runs NAME skipping
// functions, is not here: run the program by its path.)

func init() {
	builtins["type"] = (*Shell).typeCmd
	builtins["command"] = (*Shell).command
}

// whatIs says what the shell would run for name: "function", "builtin",
// or "program" with its path; "" when nothing.
func (s *Shell) whatIs(name string) (kind, path string) {
	switch {
	case s.funcs[name] != nil:
		return "function", ""
	case builtins[name] != nil:
		return "builtin", ""
	case strings.Contains(name, "/"):
		if p, ok := s.executable(name); ok {
			return "program", p
		}
		return "", ""
	}
	for _, dir := range strings.Split(s.vars["PATH"], ":") {
		if dir == "" {
			dir = "."
		}
		if p, ok := s.executable(dir + "/" + name); ok {
			return "program", p
		}
	}
	return "", ""
}

// executable returns path made absolute when it names a file someone may
// execute.
func (s *Shell) executable(path string) (string, bool) {
	abs, err := s.p.Abs(path)
	if err != nil {
		return "", false
	}
	a, err := s.p.Stat(abs)
	if err != nil || a.IsDir() || a.Mode&0o111 == 0 {
		return "", false
	}
	return abs, true
}

// typeCmd is type NAME...: "ls is /bin/ls", "cd is a shell builtin",
// "f is a function"; status 1 when a name is nothing.
func (s *Shell) typeCmd(argv []string, io stdio) int {
	status := 0
	for _, name := range argv[1:] {
		if !s.describe(name, io) {
			s.builtinError(io, "type", "%s: not found", name)
			status = 1
		}
	}
	return status
}

// describe prints what name is, as type does; false when it is nothing.
func (s *Shell) describe(name string, io stdio) bool {
	switch kind, path := s.whatIs(name); kind {
	case "function":
		s.printf(io, "%s is a function\n", name)
	case "builtin":
		s.printf(io, "%s is a shell builtin\n", name)
	case "program":
		s.printf(io, "%s is %s\n", name, path)
	default:
		return false
	}
	return true
}

// command -v NAME... prints how each name would be run: its path, or the
// name itself for a function or builtin; -V says it as type does. Status
// 1 when a name is nothing.
func (s *Shell) command(argv []string, io stdio) int {
	if len(argv) < 3 || argv[1] != "-v" && argv[1] != "-V" {
		s.builtinError(io, "command", "usage: command -v|-V NAME... (to run a program past a function of its name, give its path)")
		return 2
	}
	status := 0
	for _, name := range argv[2:] {
		kind, path := s.whatIs(name)
		switch {
		case kind == "":
			if argv[1] == "-V" {
				s.builtinError(io, "command", "%s: not found", name)
			}
			status = 1
		case argv[1] == "-V":
			s.describe(name, io)
		case kind == "program":
			s.printf(io, "%s\n", path)
		default:
			s.printf(io, "%s\n", name)
		}
	}
	return status
}
