package sh

import (
	"fmt"
	"maps"
	"strings"

	"github.com/mkos/mkos/ipc/linux"

	"github.com/mkos/mkos/user/ulib"
)

// Compound commands, functions and command substitution, all run by the
// shell itself with its descriptors (s.io) set to the command's: a
// `while … done < f` reads f, a function in a pipeline writes into the
// pipe. A subshell — ( … ) and $( … ) — runs in the shell too, with its
// variables, functions, directory and options put back afterwards, so
// that the functions it calls are there and nothing it changes leaks.

// runInShell runs a builtin, a compound command or a function with the
// stage's descriptors, and returns its status.
func (s *Shell) runInShell(st *stage) int {
	saved := s.io
	s.io = st.files
	restore := s.assignFor(st.assigns)
	defer func() { s.io = saved; restore() }()
	if st.builtin != nil {
		return s.runBuiltin(st.builtin, st.argv, stdio{st.files})
	}
	if fn, ok := s.funcs[st.argv0()]; ok && fn == st.inShell {
		return s.call(fn, st.argv)
	}
	s.runNode(st.inShell.Comp)
	return s.status
}

// assignFor sets NAME=value assignments for the duration of a builtin
// or function (IFS=: read a b), and returns what puts them back.
func (s *Shell) assignFor(assigns map[string]string) func() {
	if len(assigns) == 0 {
		return func() {}
	}
	old := map[string]*string{}
	for k, v := range assigns {
		if prev, ok := s.vars[k]; ok {
			old[k] = &prev
		} else {
			old[k] = nil
		}
		s.vars[k] = v
	}
	return func() { s.restoreLocals(old) }
}

// argv0 is the command's name, "" for a compound command.
func (st *stage) argv0() string {
	if len(st.argv) == 0 {
		return ""
	}
	return st.argv[0]
}

// maxCallDepth bounds function recursion, as a stack would.
const maxCallDepth = 200

// call runs function body with argv[1:] as its positional parameters.
func (s *Shell) call(body *Cmd, argv []string) int {
	if len(s.callStack) >= maxCallDepth {
		s.errorf("%s: maximum function nesting level exceeded (%d)", argv[0], maxCallDepth)
		return 2
	}
	savedArgs, savedLoops := s.args, s.loops
	s.args, s.loops = argv[1:], 0
	s.callStack = append(s.callStack, map[string]*string{})
	defer func() {
		s.restoreLocals(s.callStack[len(s.callStack)-1])
		s.callStack = s.callStack[:len(s.callStack)-1]
		s.args, s.loops, s.returning = savedArgs, savedLoops, false
	}()
	s.runPipeline(&Pipeline{Cmds: []*Cmd{body}}, false)
	return s.status
}

// restoreLocals puts back the variables a function made local.
func (s *Shell) restoreLocals(saved map[string]*string) {
	for k, v := range saved {
		if v == nil {
			delete(s.vars, k)
		} else {
			s.vars[k] = *v
		}
	}
}

// runNode runs a compound command and sets $?.
func (s *Shell) runNode(n Node) {
	switch n := n.(type) {
	case *Group:
		if n.Sub {
			s.subshell(func() { s.runList(n.Body) })
		} else {
			s.runList(n.Body)
		}
	case *If:
		s.runIf(n)
	case *Loop:
		s.runLoop(n)
	case *For:
		s.runFor(n)
	case *Case:
		s.runCase(n)
	}
}

// cond runs a condition: set -e does not apply to it.
func (s *Shell) cond(l List) bool {
	s.conds++
	defer func() { s.conds-- }()
	s.runList(l)
	return s.status == 0
}

func (s *Shell) runIf(n *If) {
	for i, c := range n.Conds {
		if s.cond(c) {
			if !s.stopping() {
				s.runList(n.Bodies[i])
			}
			return
		}
		if s.stopping() {
			return
		}
	}
	if n.Else == nil {
		s.status = 0 // no branch ran; in else, $? is still the condition's
		return
	}
	s.runList(n.Else)
}

// loopStep handles break and continue after a loop's body and reports
// whether the loop goes on.
func (s *Shell) loopStep() bool {
	s.next = false
	if s.breaking > 0 {
		s.breaking--
		return false
	}
	return !s.exiting && !s.returning
}

func (s *Shell) runLoop(n *Loop) {
	s.loops++
	defer func() { s.loops-- }()
	status := 0
	for {
		if s.cond(n.Cond) == n.Until || s.stopping() {
			break
		}
		s.runList(n.Body)
		status = s.status
		if !s.loopStep() {
			break
		}
	}
	if !s.exiting && !s.returning {
		s.status = status
	}
}

func (s *Shell) runFor(n *For) {
	words := s.args
	if !n.NoIn {
		words = nil
		for _, w := range n.Words {
			words = append(words, s.fields(w)...)
		}
	}
	s.loops++
	defer func() { s.loops-- }()
	s.status = 0
	for _, w := range append([]string(nil), words...) {
		s.vars[n.Var] = w
		s.runList(n.Body)
		if !s.loopStep() {
			break
		}
	}
}

func (s *Shell) runCase(n *Case) {
	word := s.text(n.Word)
	s.status = 0
	for _, it := range n.Items {
		for _, p := range it.Patterns {
			if match(s.pattern(p), word) {
				s.runList(it.Body)
				return
			}
		}
	}
}

// subshell runs f with the shell's state put back afterwards: an exit in
// it ends only it.
func (s *Shell) subshell(f func()) {
	vars, exported, funcs := maps.Clone(s.vars), maps.Clone(s.exported), maps.Clone(s.funcs)
	args, cwd := s.args, s.p.Getcwd()
	errexit, xtrace := s.errexit, s.xtrace
	f()
	s.vars, s.exported, s.funcs, s.args = vars, exported, funcs, args
	s.errexit, s.xtrace = errexit, xtrace
	if s.p.Getcwd() != cwd {
		_ = s.p.Chdir(cwd)
	}
	s.exiting, s.returning, s.breaking, s.next = false, false, 0, false
}

// needsShell reports whether a background pipeline holds a compound
// command or a function: it runs in a child shell, not in this one.
func (s *Shell) needsShell(pl *Pipeline) bool {
	for _, c := range pl.Cmds {
		if c.Comp != nil {
			return true
		}
		if len(c.Words) > 0 && len(c.Words[0]) == 1 && s.funcs[c.Words[0][0].Lit] != nil {
			return true
		}
	}
	return false
}

// substitute runs commands with their output into a temporary file and
// returns that output without its trailing new lines: $(…).
func (s *Shell) substitute(text string) string {
	l, err := Parse(text)
	if err != nil {
		s.errorf("%v", err)
		s.substRan, s.substSt = true, 2
		return ""
	}
	path, fd, err := s.tempFile()
	if err != nil {
		s.errorf("command substitution: %s", ulib.Strerror(err))
		s.substRan, s.substSt = true, 1
		return ""
	}
	saved := s.io
	s.io = []int{saved[0], fd, saved[2]}
	s.subshell(func() { s.runList(l) })
	s.io = saved
	_ = s.p.Close(fd)
	data, _ := s.p.ReadFile(path)
	_ = s.p.Unlink(path)
	s.substRan, s.substSt = true, s.status
	return strings.TrimRight(string(data), "\n")
}

// tempFile creates a file of the shell's own in /tmp.
func (s *Shell) tempFile() (string, int, error) {
	s.tmpSeq++
	path := fmt.Sprintf("/tmp/.sh%d.%d", s.pid, s.tmpSeq)
	fd, err := s.p.Open(path, linux.O_RDWR|linux.O_CREAT|linux.O_TRUNC, 0o600)
	return path, fd, err
}
