package ostepvm

import (
	"fmt"
	"io"

	"github.com/mkos/mkos/lab/optparse"
)

// Tool is one OSTEP simulator: Main runs it on args, writes what the
// script prints on stdout to out and what Python would print on stderr to
// errw, and returns the exit status.
type Tool struct {
	Name    string // the script's name without .py
	Chapter string // the book chapter its homework belongs to
	Main    func(args []string, out, errw io.Writer) int
}

// Tools are this package's simulators.
var Tools = []Tool{
	{"relocation", "15 Address Translation", Relocation},
	{"segmentation", "16 Segmentation", Segmentation},
	{"paging-linear-translate", "18 Paging: Introduction", PagingLinear},
}

// pyError is a Python exception that ends a tool: its last traceback line.
type pyError string

func (e pyError) Error() string { return string(e) }

// convert is the tools' convert(): a size with an optional k, m or g
// (any case) suffix, in KiB, MiB, GiB.
func convert(size string) (int64, error) {
	if size == "" {
		return 0, pyError("IndexError: string index out of range")
	}
	mult := map[byte]int64{'k': 1 << 10, 'K': 1 << 10, 'm': 1 << 20, 'M': 1 << 20, 'g': 1 << 30, 'G': 1 << 30}[size[len(size)-1]]
	digits := size
	if mult != 0 {
		digits = size[:len(size)-1]
	} else {
		mult = 1
	}
	n, ok := optparse.Int(digits)
	if !ok {
		return 0, pyError("ValueError: invalid literal for int() with base 10: " + optparse.Repr(digits))
	}
	return n * mult, nil
}

// parse parses a tool's command line; it returns done with the status
// when the tool stops here (help, or optparse's error).
func parse(p *optparse.Parser, args []string, out, errw io.Writer) (v *optparse.Values, status int, done bool) {
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

// traceback ends a tool with Python's exception; err that is not one is
// mkos refusing a case the script would never finish.
func traceback(errw io.Writer, prog string, err error) int {
	if e, ok := err.(pyError); ok {
		fmt.Fprintf(errw, "Traceback (most recent call last):\n  File %q\n%s\n", prog, e)
		return 1
	}
	fmt.Fprintf(errw, "mkos ostep %s: %v\n", prog, err)
	return 1
}
