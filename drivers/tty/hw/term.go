package hw

import (
	"bytes"
	"io"

	"golang.org/x/term"
)

// IsTerminal reports whether fd is a terminal (Linux, macOS, the BSDs and
// Windows; never in the browser).
func IsTerminal(fd int) bool { return term.IsTerminal(fd) }

// MakeRaw puts the terminal fd in the mode a live console needs and
// returns the function that restores it. Every key reaches the simulated
// console as typed — no echo, no line editing, no signals (^C is a byte
// for the tty driver's line discipline), no flow control, CR not turned
// into NL. The host terminal no longer turns a newline into CR LF either:
// write to it through RawOutput.
func MakeRaw(fd int) (restore func() error, err error) {
	old, err := term.MakeRaw(fd)
	if err != nil {
		return nil, err
	}
	return func() error { return term.Restore(fd, old) }, nil
}

// Size returns the width and height of the terminal fd, in characters.
func Size(fd int) (width, height int, err error) { return term.GetSize(fd) }

// RawOutput returns a writer to a terminal in raw mode that turns each
// newline into CR LF, as the terminal itself did before MakeRaw.
func RawOutput(w io.Writer) io.Writer { return crlfWriter{w} }

type crlfWriter struct{ w io.Writer }

// Write writes p with each "\n" as "\r\n"; it reports len(p) when all of
// it was written.
func (c crlfWriter) Write(p []byte) (int, error) {
	if bytes.IndexByte(p, '\n') < 0 {
		return c.w.Write(p)
	}
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
