package osteptool

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/mkos/mkos/lab/optparse"
)

// Tool is one OSTEP simulator: Main runs it on args, writes what the
// script prints on stdout to out and what Python would print on stderr to
// errw, and returns the exit status.
type Tool struct {
	Name    string // the script's name without .py
	Chapter string // the book chapter its homework belongs to
	Main    func(args []string, out, errw io.Writer) int
	// OnKernel, when not "", says when the answers come from mkos's own
	// mechanism rather than the book's model, e.g. "with 4k pages".
	OnKernel string
}

// PyError is a Python exception that ends a script: the last line of its
// traceback, e.g. "ValueError: invalid literal for int() with base 10: 'x'".
type PyError string

func (e PyError) Error() string { return string(e) }

// IntError is the ValueError of int(s).
func IntError(s string) PyError {
	return PyError("ValueError: invalid literal for int() with base 10: " + optparse.Repr(s))
}

// Parse parses a script's command line; done reports that the script
// stops here with status (help: 0; optparse's error: 2).
func Parse(p *optparse.Parser, args []string, out, errw io.Writer) (v *optparse.Values, status int, done bool) {
	v, err := p.Parse(args, out)
	switch e := err.(type) {
	case nil:
		return v, 0, false
	case *optparse.Error:
		e.Write(errw)
		return nil, 2, true
	}
	return nil, 0, true // help
}

// Traceback ends a script with Python's exception on errw and returns its
// status, 1. An err that is no PyError is mkos refusing a case the script
// would never finish (an endless loop), said as such.
func Traceback(errw io.Writer, prog string, err error) int {
	if e, ok := err.(PyError); ok {
		fmt.Fprintf(errw, "Traceback (most recent call last):\n  File %q\n%s\n", prog, e)
		return 1
	}
	fmt.Fprintf(errw, "mkos ostep %s: %v\n", prog, err)
	return 1
}

// PyBool is Python's str(bool).
func PyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// PyFloat is Python 3's str(float) of a finite f: "0.7", "1.0", "1e-05".
func PyFloat(f float64) string {
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		return strconv.FormatFloat(f, 'e', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if f == math.Trunc(f) {
		s += ".0"
	}
	return s
}
