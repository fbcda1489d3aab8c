package coreutils

import (
	"io"

	"github.com/mkos/mkos/user/ulib"
)

// Write errors: a utility whose standard output cannot be written
// (ENOSPC on /dev/full, EPIPE, EIO) says so, naming the file its standard
// output is open on (the standard output when it has no name: a pipe, the
// console) rather than the file it was reading, and exits 1.

// writeFailed reports a failed write to the standard output.
func (u *U) writeFailed(err error) {
	u.fail("%v", &ulib.WriteError{Path: u.FdPath(1), Err: err})
}

// flushOut flushes the buffered standard output at the utility's end,
// and reports a write that failed on the way.
func (u *U) flushOut() {
	if err := u.Out.Flush(); err != nil {
		u.writeFailed(err)
	}
}

// outWriter is a writer that remembers its last write error, so a copy
// can tell a failed write from a failed read.
type outWriter struct {
	w   io.Writer
	err error
}

func (o *outWriter) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil {
		o.err = err
	}
	return n, err
}
