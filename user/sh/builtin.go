package sh

import (
	"github.com/mkos/mkos/user/ulib"

	"sort"
	"strconv"
	"strings"
)

// Builtins run inside the shell: those that change the shell itself (cd,
// exit, variables) and a few that need its state (wait, jobs).

// builtin runs a builtin with its argv and descriptors; it returns the
// status.
type builtin func(s *Shell, argv []string, io stdio) int

// builtins is the builtin table; it doubles as the list of them.
var builtins map[string]builtin

func init() {
	builtins = map[string]builtin{
		":":      func(*Shell, []string, stdio) int { return 0 },
		".":      (*Shell).source,
		"cd":     (*Shell).cd,
		"exit":   (*Shell).exit,
		"export": (*Shell).export,
		"jobs":   (*Shell).jobsList,
		"pwd":    (*Shell).pwd,
		"set":    (*Shell).set,
		"source": (*Shell).source,
		"unset":  (*Shell).unset,
		"wait":   (*Shell).wait,

		"bg":       (*Shell).bg,
		"fg":       (*Shell).fg,
		"break":    (*Shell).brk,
		"continue": (*Shell).cont,
		"eval":     (*Shell).eval,
		"false":    func(*Shell, []string, stdio) int { return 1 },
		"local":    (*Shell).local,
		"read":     (*Shell).read,
		"return":   (*Shell).ret,
		"shift":    (*Shell).shift,
		"true":     func(*Shell, []string, stdio) int { return 0 },
	}
}

// cd changes the working directory: to $HOME (or /) with no argument, to
// $OLDPWD with -.
func (s *Shell) cd(argv []string, io stdio) int {
	dir := s.vars["HOME"]
	if dir == "" {
		dir = "/"
	}
	if len(argv) > 1 {
		dir = argv[1]
	}
	if dir == "-" {
		dir = s.vars["OLDPWD"]
		s.printf(io, "%s\n", dir)
	}
	if err := s.p.Chdir(dir); err != nil {
		return s.builtinError(io, "cd", "%s: %s", dir, ulib.Strerror(err))
	}
	s.vars["OLDPWD"], s.exported["OLDPWD"] = s.vars["PWD"], true
	s.vars["PWD"] = s.p.Getcwd()
	return 0
}

// pwd prints the working directory.
func (s *Shell) pwd(_ []string, io stdio) int {
	s.printf(io, "%s\n", s.p.Getcwd())
	return 0
}

// exit ends the shell with the given status, or $?.
func (s *Shell) exit(argv []string, io stdio) int {
	code := s.status
	if len(argv) > 1 {
		n, err := strconv.Atoi(argv[1])
		if err != nil {
			s.builtinError(io, "exit", "%s: numeric argument required", argv[1])
			n = 2
		}
		code = n & 0xff
	}
	s.exiting = true
	return code
}

// export marks variables for the environment of commands; NAME=value
// sets one too. With no argument it lists them.
func (s *Shell) export(argv []string, io stdio) int {
	if len(argv) == 1 {
		for _, k := range sortedKeys(s.exported) {
			if v, ok := s.vars[k]; ok {
				s.printf(io, "export %s=%s\n", k, quote(v))
			}
		}
		return 0
	}
	for _, a := range argv[1:] {
		k, v, set := strings.Cut(a, "=")
		if nameLen(k) != len(k) || k == "" {
			return s.builtinError(io, "export", "%s: bad variable name", a)
		}
		if set {
			s.vars[k] = v
		}
		s.exported[k] = true
	}
	return 0
}

// unset removes variables.
func (s *Shell) unset(argv []string, _ stdio) int {
	for _, k := range argv[1:] {
		delete(s.vars, k)
		delete(s.exported, k)
	}
	return 0
}

// set changes options (-e, -x, -m; + turns them off) and, after --, the
// positional parameters. With no argument it lists the variables.
func (s *Shell) set(argv []string, io stdio) int {
	if len(argv) == 1 {
		for _, k := range sortedKeys(s.vars) {
			s.printf(io, "%s=%s\n", k, quote(s.vars[k]))
		}
		return 0
	}
	for i, a := range argv[1:] {
		if a == "--" {
			s.args = append([]string(nil), argv[i+2:]...)
			return 0
		}
		if !s.setFlags(a) {
			return s.builtinError(io, "set", "%s: invalid option", a)
		}
	}
	return 0
}

// setFlags applies an option word like -ex or +m.
func (s *Shell) setFlags(a string) bool {
	if len(a) < 2 || (a[0] != '-' && a[0] != '+') {
		return false
	}
	on := a[0] == '-'
	for _, c := range a[1:] {
		switch c {
		case 'e':
			s.errexit = on
		case 'x':
			s.xtrace = on
		case 'm':
			s.monitor = on
		default:
			return false
		}
	}
	return true
}

// flags is $-: the options that are on.
func (s *Shell) flags() string {
	out := ""
	for _, f := range []struct {
		on bool
		c  string
	}{{s.errexit, "e"}, {s.interactive, "i"}, {s.monitor, "m"}, {s.xtrace, "x"}} {
		if f.on {
			out += f.c
		}
	}
	return out
}

// wait waits for the given background pids, or for every background job,
// and returns the status of the last one waited for.
func (s *Shell) wait(argv []string, io stdio) int {
	status := 0
	if len(argv) == 1 {
		for s.anyRunning() && s.waitOne(0) {
		}
		s.dropDone(false)
		return 0
	}
	for _, a := range argv[1:] {
		pid, err := strconv.Atoi(a)
		j := s.jobOf(pid)
		if err != nil || j == nil {
			status = 127
			s.builtinError(io, "wait", "pid %s is not a child of this shell", a)
			continue
		}
		for st := j.stageOf(pid); !st.done && s.waitOne(0); {
		}
		status = j.stageOf(pid).status
	}
	s.dropDone(false)
	return status
}

// anyRunning reports whether a background job is still running.
func (s *Shell) anyRunning() bool {
	for _, j := range s.jobs {
		if j.running() {
			return true
		}
	}
	return false
}

// jobOf returns the job that pid belongs to.
func (s *Shell) jobOf(pid int) *job {
	for _, j := range s.jobs {
		if j.stageOf(pid) != nil {
			return j
		}
	}
	return nil
}

// stageOf returns the command of j that runs as pid.
func (j *job) stageOf(pid int) *stage {
	for _, st := range j.stages {
		if st.pid == pid {
			return st
		}
	}
	return nil
}

// jobsList lists the background jobs.
func (s *Shell) jobsList(_ []string, io stdio) int {
	for _, j := range s.jobs {
		state := "Running"
		switch {
		case !j.running():
			state = "Done"
		case j.stopped():
			state = "Stopped"
		}
		s.printf(io, "[%d]  %-10s %s\n", j.id, state, j.text)
	}
	return 0
}

// source runs a script in this shell: . FILE.
func (s *Shell) source(argv []string, io stdio) int {
	if len(argv) < 2 {
		return s.builtinError(io, argv[0], "filename argument required")
	}
	data, err := s.p.ReadFile(argv[1])
	if err != nil {
		s.builtinError(io, argv[0], "%s: %s", argv[1], ulib.Strerror(err))
		return 1
	}
	saved := s.args
	if len(argv) > 2 {
		s.args = argv[2:]
	}
	status := s.runText(string(data), argv[1])
	s.args, s.returning = saved, false
	return status
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
