package sh

import (
	"errors"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/user/ulib"
)

// Running commands. LECTURE: shell-pipeline
//
// A pipeline a | b | c runs as:
//
//  1. Make a pipe between each two commands (the pipe service), and work
//     out each command's descriptors: its standard input, output and error
//     as shell descriptors, then its redirections in order, opening files
//     as they name them (stage.files: the child's descriptor i is the
//     shell's files[i]).
//  2. Spawn each external command with those descriptors (ulib.SpawnFiles
//     passes them on). With job control (interactive, or set -m) the first
//     command leads a new process group and the others join it, and the
//     terminal's foreground group becomes the job's, so ^C reaches the job
//     and not the shell.
//  3. Run the builtins among them in the shell itself, with their
//     descriptors (spawned first, so that a builtin writing into a pipe has
//     its reader running).
//  4. Close the shell's ends of the pipes and the files it opened: the
//     readers see the end of their input when the writers end.
//  5. Wait for every command (for a background job: not now), give the
//     terminal back to the shell, and set $? to the last command's status:
//     its exit code, or 128 plus the signal that ended it.

// stage is one command of a pipeline as it is run.
type stage struct {
	argv    []string
	assigns map[string]string
	files   []int // the child's descriptor i is the shell's files[i]; -1: closed
	builtin builtin
	inShell *Cmd     // a compound command or a function's body, run by the shell
	temps   []string // here-documents' files, removed when the job ends
	pid     int
	status  int
	done    bool // it has a status (failed to start, builtin, or waited for)
	stopped bool // a signal stopped it (^Z); fg or bg continues it
}

// runList runs a list's and-or lists in order.
func (s *Shell) runList(l List) {
	for _, ao := range l {
		if s.stopping() {
			return
		}
		if ao.Bg {
			s.background(ao)
			continue
		}
		if s.runAndOr(ao) && s.errexit && s.status != 0 && s.conds == 0 {
			s.exiting = true
		}
	}
}

// stopping reports whether the rest of a list is skipped: exit, return,
// break or continue ran.
func (s *Shell) stopping() bool {
	return s.exiting || s.returning || s.breaking > 0 || s.next
}

// runAndOr runs an and-or list and reports whether its last pipeline ran
// and was not negated (set -e exits only then).
func (s *Shell) runAndOr(ao *AndOr) bool {
	run := func(i int) {
		if i < len(ao.Ops) {
			s.conds++
			defer func() { s.conds-- }()
		}
		s.runPipeline(ao.Pipes[i], false)
	}
	run(0)
	last := true
	for i, op := range ao.Ops {
		if s.stopping() {
			return false
		}
		last = (op == "&&") == (s.status == 0)
		if last {
			run(i + 1)
		}
	}
	return last && !ao.Pipes[len(ao.Pipes)-1].Not
}

// background starts an and-or list as a background job. A list of more
// than one pipeline runs in a child shell (which sees exported variables
// only).
func (s *Shell) background(ao *AndOr) {
	if len(ao.Ops) == 0 && !s.needsShell(ao.Pipes[0]) {
		s.runPipeline(ao.Pipes[0], true)
		return
	}
	text := (&AndOr{Pipes: ao.Pipes, Ops: ao.Ops}).String()
	cmd := &Cmd{Words: []Word{{{Lit: "sh"}}, {{Lit: "-c"}}, {{Lit: text, Quoted: true}}}}
	s.runPipeline(&Pipeline{Cmds: []*Cmd{cmd}}, true)
	if len(s.jobs) > 0 {
		s.jobs[len(s.jobs)-1].text = text
	}
}

// runPipeline runs a pipeline (steps 1–5) and sets $?.
func (s *Shell) runPipeline(pl *Pipeline, bg bool) {
	j := &job{text: pl.String(), bg: bg}
	var shellFds []int // what the shell opened for the job: closed in step 4
	defer func() {
		for _, fd := range shellFds {
			_ = s.p.Close(fd)
		}
		for _, st := range j.stages {
			for _, path := range st.temps {
				_ = s.p.Unlink(path)
			}
		}
	}()
	in := s.io[0]
	for i, c := range pl.Cmds {
		out, next := s.io[1], -1
		if i < len(pl.Cmds)-1 {
			r, w, err := s.p.Pipe()
			if err != nil {
				s.errorf("pipe: %s", ulib.Strerror(err))
				s.status = 1
				return
			}
			shellFds = append(shellFds, r, w)
			out, next = w, r
		}
		st, opened := s.prepare(c, in, out)
		shellFds = append(shellFds, opened...)
		j.stages = append(j.stages, st)
		in = next
	}
	s.start(j)
	shellFds = s.runInShellStages(j, shellFds)
	for _, fd := range shellFds {
		_ = s.p.Close(fd)
	}
	shellFds = nil
	s.finish(j, pl.Not)
}

// runInShellStages runs the job's builtins, compound commands and
// functions in order (step 3). Before each, the shell closes the pipe
// ends and files no in-shell stage from it on uses: a `… | while read`
// sees the end of its input when the writers have ended, not never
// because the shell itself holds the write end. It returns the
// descriptors still open.
func (s *Shell) runInShellStages(j *job, open []int) []int {
	for i, st := range j.stages {
		if st.done || st.builtin == nil && st.inShell == nil {
			continue
		}
		open = s.closeUnused(j.stages[i:], open)
		st.status, st.done = s.runInShell(st), true
	}
	return open
}

// closeUnused closes the descriptors of open that none of the in-shell
// stages among stages uses, and returns the rest.
func (s *Shell) closeUnused(stages []*stage, open []int) []int {
	used := map[int]bool{}
	for _, st := range stages {
		if !st.done && (st.builtin != nil || st.inShell != nil) {
			for _, fd := range st.files {
				used[fd] = true
			}
		}
	}
	var keep []int
	for _, fd := range open {
		if used[fd] {
			keep = append(keep, fd)
		} else {
			_ = s.p.Close(fd)
		}
	}
	return keep
}

// prepare expands a command and works out its descriptors (step 1); a
// command whose redirection fails gets status 1 and is not run.
func (s *Shell) prepare(c *Cmd, in, out int) (*stage, []int) {
	st := &stage{files: []int{in, out, s.io[2]}, assigns: map[string]string{}}
	if fn, ok := c.Comp.(*FuncDef); ok {
		s.funcs[fn.Name] = fn.Body
		st.done = true
		return st, nil
	}
	s.substRan = false
	for _, a := range c.Assigns {
		st.assigns[a.Name] = s.text(a.Value)
	}
	for _, w := range c.Words {
		st.argv = append(st.argv, s.fields(w)...)
	}
	opened, err := s.redirect(st, c.Redirs)
	switch {
	case err != nil:
		st.status, st.done = 1, true
	case c.Comp != nil:
		st.inShell = c
	case len(st.argv) == 0:
		for k, v := range st.assigns { // NAME=value alone sets a shell variable
			s.vars[k] = v
		}
		if s.substRan {
			st.status = s.substSt // x=$(cmd): $? is cmd's
		}
		st.done = true
	case s.funcs[st.argv[0]] != nil:
		st.inShell = s.funcs[st.argv[0]]
	case st.argv[0] == "kill":
		st.argv = s.killJobs(st.argv)
	default:
		st.builtin = builtins[st.argv[0]]
	}
	if s.xtrace && len(st.argv) > 0 && err == nil {
		s.p.Fprintf(2, "+ %s\n", strings.Join(quoteAll(st.argv), " "))
	}
	return st, opened
}

// start spawns the job's external commands (step 2).
func (s *Shell) start(j *job) {
	for _, st := range j.stages {
		if st.done || st.builtin != nil || st.inShell != nil {
			continue
		}
		pid, err := s.spawn(st, j.pgid)
		if err != nil {
			st.status, st.done = s.spawnError(stdio{st.files}, st.argv[0], err), true
			continue
		}
		st.pid = pid
		if j.pgid == 0 && s.monitor {
			j.pgid = pid
			if !j.bg {
				_ = s.p.Tcsetpgrp(0, pid)
			}
		}
	}
}

// spawn starts one command, looking its name up in $PATH unless it holds a
// slash.
func (s *Shell) spawn(st *stage, pgid int) (int, error) {
	var attr *pmproto.SpawnAttr
	if s.monitor {
		attr = &pmproto.SpawnAttr{Flags: pmproto.SpawnSetPgroup, Pgroup: pgid}
	}
	env := s.environ(st.assigns)
	name := st.argv[0]
	if strings.Contains(name, "/") {
		path, err := s.p.Abs(name)
		if err != nil {
			return 0, err
		}
		return s.spawnIn(path, st, env, attr)
	}
	for _, dir := range strings.Split(s.vars["PATH"], ":") {
		if dir == "" {
			dir = "."
		}
		path, err := s.p.Abs(dir + "/" + name)
		if err != nil {
			continue
		}
		pid, err := s.spawnIn(path, st, env, attr)
		if !errors.Is(err, linux.ENOENT) {
			return pid, err
		}
	}
	return 0, errNotFound
}

// spawnIn spawns path; a job's group that ended meanwhile gives way to a
// new one.
func (s *Shell) spawnIn(path string, st *stage, env []string, attr *pmproto.SpawnAttr) (int, error) {
	pid, err := s.p.SpawnFiles(path, st.argv, env, st.files, attr)
	if errors.Is(err, linux.EPERM) && attr != nil && attr.Pgroup != 0 {
		a := *attr
		a.Pgroup = 0
		pid, err = s.p.SpawnFiles(path, st.argv, env, st.files, &a)
	}
	return pid, err
}

// errNotFound is a command found in no directory of $PATH.
var errNotFound = errors.New("command not found")

// spawnError reports a command that could not start and returns its
// status: 127 when there is no such program, 126 when it cannot run.
// The message goes to the command's standard error (2>/dev/null hides it).
func (s *Shell) spawnError(io stdio, name string, err error) int {
	switch {
	case errors.Is(err, errNotFound):
		s.builtinError(io, name, "command not found")
		return 127
	case errors.Is(err, linux.ENOENT):
		s.builtinError(io, name, "%s", ulib.Strerror(err))
		return 127
	case errors.Is(err, linux.ENOEXEC):
		s.builtinError(io, name, "cannot execute: %s", ulib.Strerror(err))
		return 126
	case pmStopped(err):
		s.errorf("%s: %s", name, pmStoppedHint)
		return 126
	}
	s.builtinError(io, name, "%s", ulib.Strerror(err))
	return 126
}

// finish waits for a foreground job (step 5) or lists a background one.
func (s *Shell) finish(j *job, not bool) {
	if j.bg {
		s.addJob(j)
		s.status = 0
		return
	}
	s.waitFor(j)
	if s.monitor && j.pgid != 0 {
		_ = s.p.Tcsetpgrp(0, s.pgid)
	}
	if j.stopped() {
		s.stoppedJob(j)
		return
	}
	last := j.stages[len(j.stages)-1]
	s.status = last.status
	if not {
		s.status = boolStatus(s.status != 0)
	}
}

// boolStatus is 0 for true, 1 for false.
func boolStatus(ok bool) int {
	if ok {
		return 0
	}
	return 1
}

// quoteAll quotes each word that needs it, for set -x and listings.
func quoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = quote(w)
	}
	return out
}

// quote quotes w for the shell if it needs it.
func quote(w string) string {
	if w != "" && strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,+@%") == "" {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}
