package sh

import (
	"errors"
	"io"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/user/ulib"
)

// Shell is one shell process's state.
type Shell struct {
	p *ulib.Proc

	vars     map[string]string
	exported map[string]bool
	name     string   // $0
	args     []string // $1 …
	status   int      // $?
	pid      int      // $$
	lastBg   int      // $!

	interactive bool // reading commands from a terminal: prompts, job messages
	monitor     bool // job control: each job in its own process group (set -m)
	errexit     bool // set -e: exit when a command fails
	xtrace      bool // set -x: print each command before running it
	pgid        int  // the shell's own process group
	jobs        []*job
	exiting     bool // the exit builtin ran
	interrupted bool // SIGINT arrived (interactive)

	// Running compound commands and functions (exec_compound.go).
	io        []int                // the descriptors commands start from: 0, 1, 2 unless redirected
	funcs     map[string]*Cmd      // defined functions
	loops     int                  // how many loops are running
	breaking  int                  // break N: loops still to leave
	next      bool                 // continue: the innermost loop goes on
	returning bool                 // return ran in a function
	conds     int                  // > 0 while running a condition: set -e does not apply
	substRan  bool                 // a command substitution ran while expanding
	substSt   int                  // its status
	tmpSeq    int                  // for temporary files' names
	outErr    error                // a builtin's first failed write (runBuiltin)
	callStack []map[string]*string // per running function: the values its locals hid
}

// Main is the shell program, /bin/sh:
//
//	sh -c 'COMMANDS' [NAME [ARG…]]   run COMMANDS ($0 = NAME, $1… = ARGs)
//	sh FILE [ARG…]                   run the script FILE
//	sh [-i]                          read commands from the standard input;
//	                                 interactive (prompts, job control)
//	                                 when it is a terminal, or with -i
//
// Options -e, -x and -m may come first, as set takes them.
var Main = ulib.Main(main)

func main(p *ulib.Proc, argv, env []string) int {
	s := newShell(p, env)
	args := argv[min(1, len(argv)):]
	s.name = "sh"
	if len(argv) > 0 {
		s.name = argv[0]
	}
	cmd, hasCmd, force := "", false, false
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && !hasCmd {
		a := args[0]
		args = args[1:]
		switch {
		case a == "--":
			return s.startMode(cmd, hasCmd, force, args)
		case strings.Contains(a, "c") && len(args) == 0:
			s.errorf("-c: option requires an argument")
			return 2
		case strings.Contains(a, "c"):
			if a != "-c" && !s.setFlags(strings.Replace(a, "c", "", 1)) {
				s.errorf("%s: invalid option", a)
				return 2
			}
			cmd, args, hasCmd = args[0], args[1:], true
		case a == "-i":
			force = true
		case !s.setFlags(a):
			s.errorf("%s: invalid option", a)
			return 2
		}
	}
	return s.startMode(cmd, hasCmd, force, args)
}

// startMode runs the shell in the mode its arguments chose.
func (s *Shell) startMode(cmd string, hasCmd, force bool, args []string) int {
	switch {
	case hasCmd:
		if len(args) > 0 {
			s.name, args = args[0], args[1:]
		}
		s.args = args
		return s.runText(cmd, "")
	case len(args) > 0:
		s.name, s.args = args[0], args[1:]
		return s.runFile(args[0])
	}
	s.args = args
	return s.runInput(force || s.p.Isatty(0))
}

// newShell makes a shell with env as its exported variables.
func newShell(p *ulib.Proc, env []string) *Shell {
	s := &Shell{p: p, vars: map[string]string{}, exported: map[string]bool{},
		io: []int{0, 1, 2}, funcs: map[string]*Cmd{}}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			s.vars[k], s.exported[k] = v, true
		}
	}
	if _, ok := s.vars["PATH"]; !ok {
		s.vars["PATH"] = defaultPath
	}
	s.vars["PWD"], s.exported["PWD"] = p.Getcwd(), true
	s.pid, _ = p.Getpid()
	s.pgid, _ = p.Getpgid(0)
	return s
}

// defaultPath is where commands are looked for when PATH is not set.
const defaultPath = "/bin:/sbin"

// runFile runs the script at path.
func (s *Shell) runFile(path string) int {
	data, err := s.p.ReadFile(path)
	if err != nil {
		s.errorf("cannot open %s: %s", path, ulib.Strerror(err))
		return 127
	}
	return s.runText(string(data), path)
}

// runText runs src one line's list at a time, up to a syntax error
// (status 2). where names the script in error messages.
func (s *Shell) runText(src, where string) int {
	p := NewParser(src)
	for !s.exiting && !s.returning {
		l, err := p.Next()
		if err != nil {
			s.syntaxError(err, where)
			return 2
		}
		if l == nil {
			break
		}
		s.runList(l)
	}
	return s.status
}

// syntaxError reports a parse error.
func (s *Shell) syntaxError(err error, where string) {
	if where != "" {
		s.errorf("%s: %v", where, err)
		return
	}
	s.errorf("%v", err)
}

// runInput reads commands from the standard input, a line at a time,
// until its end or exit.
func (s *Shell) runInput(interactive bool) int {
	s.interactive = interactive
	if interactive {
		s.startInteractive()
	}
	var pending strings.Builder
	in := newLineReader(s.p)
	var ed *editor
	if interactive && s.p.Isatty(0) {
		ed = newEditor(s)
	}
	for !s.exiting {
		s.reapJobs()
		var line string
		var err error
		if ed != nil {
			line, err = ed.readLine(s.promptText(pending.Len() > 0))
		} else {
			s.prompt(pending.Len() > 0)
			line, err = in.readLine()
		}
		if s.interrupted {
			s.interrupted = false
			pending.Reset()
			s.status = 130
			if ed != nil {
				s.p.Fprintf(2, "^C") // the console no longer echoes it
			}
			s.p.Fprintf(2, "\n")
			continue
		}
		if errors.Is(err, linux.EINTR) {
			continue // a signal other than ^C (^Z at the prompt): read again
		}
		if line == "" && err != nil {
			if pending.Len() > 0 {
				s.errorf("syntax error: unexpected end of file")
				return 2
			}
			break
		}
		pending.WriteString(line)
		l, perr := Parse(pending.String())
		if se, ok := perr.(*SyntaxError); ok && se.Incomplete && err == nil {
			continue
		}
		pending.Reset()
		if perr != nil {
			s.errorf("%v", perr)
			s.status = 2
			if !interactive {
				return 2
			}
			continue
		}
		s.runList(l)
	}
	if interactive && !s.exiting {
		s.p.Fprintf(2, "exit\n")
	}
	return s.status
}

// startInteractive puts the shell in its own process group in the
// foreground and makes it catch SIGINT — catch, not ignore: an ignored
// signal stays ignored in children, a caught one is reset to its default.
func (s *Shell) startInteractive() {
	s.monitor = true
	if s.p.Isatty(0) {
		_ = s.p.Setpgid(0, 0)
		s.pgid, _ = s.p.Getpgid(0)
		_ = s.p.Tcsetpgrp(0, s.pgid)
	}
	_ = s.p.Signal(linux.SIGINT, func(*ulib.Proc, linux.Signal) { s.interrupted = true })
	// ^Z at the prompt must not stop the shell: caught (and so reset to
	// stop in its children), it does nothing.
	_ = s.p.Signal(linux.SIGTSTP, func(*ulib.Proc, linux.Signal) {})
	s.p.InterruptReads = true
}

// prompt writes $PS1 (or $PS2 on a continuation line) when interactive.
func (s *Shell) prompt(more bool) {
	if s.interactive {
		s.p.Fprintf(2, "%s", s.promptText(more))
	}
}

// promptText is $PS1, or $PS2 on a continuation line.
func (s *Shell) promptText(more bool) string {
	ps, def := "PS1", "$ "
	if more {
		ps, def = "PS2", "> "
	}
	if v, ok := s.vars[ps]; ok {
		return v
	}
	return def
}

// lineReader reads lines from descriptor 0 without reading past them
// more than the stream gives at once.
type lineReader struct {
	p   *ulib.Proc
	buf []byte
	eof bool
}

func newLineReader(p *ulib.Proc) *lineReader { return &lineReader{p: p} }

// readLine returns the next line with its new line; at the end, what is
// left and io.EOF.
func (r *lineReader) readLine() (string, error) {
	for {
		if i := strings.IndexByte(string(r.buf), '\n'); i >= 0 {
			line := string(r.buf[:i+1])
			r.buf = r.buf[i+1:]
			return line, nil
		}
		if r.eof {
			line := string(r.buf)
			r.buf = nil
			return line, io.EOF
		}
		chunk := make([]byte, 4096)
		n, err := r.p.Read(0, chunk)
		if errors.Is(err, linux.EINTR) {
			return "", err // ^C: the shell drops the line
		}
		r.buf = append(r.buf, chunk[:n]...)
		if n == 0 || err != nil {
			r.eof = true
		}
	}
}

// errorf writes "sh: MESSAGE" to the standard error.
func (s *Shell) errorf(format string, args ...any) {
	s.p.Fprintf(2, "sh: "+format+"\n", args...)
}
