package fscmd

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// Runner runs commands against the file server.
type Runner struct {
	C   fsproto.Client
	Out io.Writer // what commands print
	Err io.Writer // failures
	// fds maps descriptor numbers printed by open to the descriptors.
	fds map[int]fsproto.FD
	// current is the name of the command running.
	current string
}

// New returns a runner that talks to the file server through sys.
func New(sys ipc.Sys, out, errOut io.Writer) (*Runner, error) {
	c, err := fsproto.Dial(sys)
	if err != nil {
		return nil, fmt.Errorf("no file server: %w", err)
	}
	return &Runner{C: c, Out: out, Err: errOut, fds: map[int]fsproto.FD{}}, nil
}

// Run runs every command of script and returns how many failed.
func (r *Runner) Run(script string) int {
	failed := 0
	for _, line := range Split(script) {
		if r.Exec(line) != nil {
			failed++
		}
	}
	return failed
}

// Exec runs one command line; a failure is printed and returned.
func (r *Runner) Exec(line string) error {
	words, err := Words(line)
	if err == nil && len(words) == 0 {
		return nil
	}
	if err == nil {
		err = r.exec(words)
	}
	if err != nil {
		fmt.Fprintf(r.Err, "%s: %s\n", line, describe(err))
	}
	return err
}

func (r *Runner) exec(words []string) error {
	cmd, ok := Commands[words[0]]
	if !ok {
		return fmt.Errorf("unknown command %q (try help)", words[0])
	}
	r.current = words[0]
	args := words[1:]
	if len(args) < cmd.min || (cmd.max >= 0 && len(args) > cmd.max) {
		return fmt.Errorf("usage: %s", cmd.usage)
	}
	return cmd.run(r, args)
}

// describe renders an error with its errno's name: "no such file or
// directory (ENOENT)".
func describe(err error) string {
	var e linux.Errno
	if errors.As(err, &e) {
		if name := linux.ErrnoName(e); name != "" {
			return fmt.Sprintf("%v (%s)", err, name)
		}
	}
	return err.Error()
}

// Split splits a script into command lines at ";" and new lines (outside
// double quotes), dropping comments and blank commands.
func Split(script string) []string {
	var out []string
	var cur strings.Builder
	quoted, escaped := false, false
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" && !strings.HasPrefix(s, "#") {
			out = append(out, s)
		}
		cur.Reset()
	}
	for _, c := range script {
		switch {
		case escaped:
			escaped = false
		case c == '\\' && quoted:
			escaped = true
		case c == '"':
			quoted = !quoted
		case (c == ';' || c == '\n') && !quoted:
			flush()
			continue
		}
		cur.WriteRune(c)
	}
	flush()
	return out
}

// Words splits a command line into words; double quotes group words and
// understand \n, \t, \" and \\.
func Words(line string) ([]string, error) {
	var out []string
	var cur strings.Builder
	in, quoted, escaped := false, false, false
	for _, c := range line {
		switch {
		case escaped:
			switch c {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			}
			cur.WriteRune(c)
			escaped = false
		case quoted && c == '\\':
			escaped = true
		case c == '"':
			quoted, in = !quoted, true
		case !quoted && (c == ' ' || c == '\t'):
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(c)
			in = true
		}
	}
	if quoted {
		return nil, errors.New("unterminated quote")
	}
	if in {
		out = append(out, cur.String())
	}
	return out, nil
}

// fd returns the descriptor the number word names: one open printed, or
// a number no open gave (which the server refuses with EBADF).
func (r *Runner) fd(word string) (fsproto.FD, error) {
	n, err := strconv.Atoi(word)
	if err != nil {
		return 0, fmt.Errorf("%q is not a descriptor number", word)
	}
	if fd, ok := r.fds[n]; ok {
		return fd, nil
	}
	return fsproto.FD(uint32(n)), nil
}

// number parses a decimal (or 0x, 0o) integer argument.
func number(word string) (int64, error) {
	v, err := strconv.ParseInt(word, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", word)
	}
	return v, nil
}
