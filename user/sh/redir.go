package sh

import (
	"fmt"
	"strconv"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/user/ulib"
)

// Redirections: each changes one of the command's descriptors, in order,
// so `> f 2>&1` sends both to f and `2>&1 > f` only the output.

// redirect applies rs to st.files and returns the descriptors it opened
// in the shell (to close once the command has started). The first that
// fails is reported and returned.
func (s *Shell) redirect(st *stage, rs []Redir) ([]int, error) {
	var opened []int
	for _, r := range rs {
		if r.Here != nil {
			fd, err := s.hereFile(st, r.Here)
			if err != nil {
				return opened, err
			}
			opened = append(opened, fd)
			st.setFile(r.Fd, fd)
			continue
		}
		target := s.text(r.Target)
		if r.Op == ">&" || r.Op == "<&" {
			if err := s.dupRedirect(st, r.Fd, target); err != nil {
				return opened, err
			}
			continue
		}
		fd, err := s.p.Open(target, openFlags[r.Op], 0o644)
		if err != nil {
			s.errorf("cannot open %s: %s", target, ulib.Strerror(err))
			return opened, err
		}
		opened = append(opened, fd)
		st.setFile(r.Fd, fd)
	}
	return opened, nil
}

// hereFile writes a here-document's expanded body to a temporary file
// (removed when the job ends) and opens it for reading.
func (s *Shell) hereFile(st *stage, h *hereDoc) (int, error) {
	path, fd, err := s.tempFile()
	if err == nil {
		st.temps = append(st.temps, path)
		_, err = s.p.Write(fd, []byte(s.text(h.body)))
		_ = s.p.Close(fd)
	}
	if err == nil {
		fd, err = s.p.Open(path, linux.O_RDONLY, 0)
	}
	if err != nil {
		s.errorf("here-document: %s", ulib.Strerror(err))
		return -1, err
	}
	return fd, nil
}

// openFlags are the open flags of each file redirection.
var openFlags = map[string]int{
	"<":  linux.O_RDONLY,
	">":  linux.O_WRONLY | linux.O_CREAT | linux.O_TRUNC,
	">>": linux.O_WRONLY | linux.O_CREAT | linux.O_APPEND,
}

// dupRedirect applies N>&M (N becomes what M is) and N>&- (N is closed).
func (s *Shell) dupRedirect(st *stage, n int, target string) error {
	if target == "-" {
		st.setFile(n, -1)
		return nil
	}
	m, err := strconv.Atoi(target)
	if err != nil || m < 0 || st.fileOf(m) < 0 {
		s.errorf("%s: bad file descriptor", target)
		return linux.EBADF
	}
	st.setFile(n, st.fileOf(m))
	return nil
}

// setFile makes the command's descriptor n the shell's fd.
func (st *stage) setFile(n, fd int) {
	for len(st.files) <= n {
		st.files = append(st.files, -1)
	}
	st.files[n] = fd
}

// fileOf returns the shell descriptor that is the command's n, -1 if none.
func (st *stage) fileOf(n int) int {
	if n < len(st.files) {
		return st.files[n]
	}
	return -1
}

// stdio are a builtin's descriptors: the shell's descriptors that are its
// 0, 1 and 2.
type stdio struct{ files []int }

func (io stdio) fd(n int) int {
	if n < len(io.files) {
		return io.files[n]
	}
	return -1
}

// printf writes to the builtin's standard output; the first write that
// fails is kept in s.outErr, for runBuiltin to report.
func (s *Shell) printf(io stdio, format string, args ...any) {
	if fd := io.fd(1); fd >= 0 {
		s.noteWrite(fd, fmt.Appendf(nil, format, args...))
	}
}

// noteWrite writes b to fd and keeps the first failure in s.outErr.
func (s *Shell) noteWrite(fd int, b []byte) (int, error) {
	n, err := s.p.Write(fd, b)
	if err != nil && s.outErr == nil {
		s.outErr = &ulib.WriteError{Path: s.p.FdPath(fd), Err: err}
	}
	return n, err
}

// runBuiltin runs builtin b; a write to its standard output that failed
// (`pwd > /dev/full`) is reported, naming the file, and makes its status
// 1 at least.
func (s *Shell) runBuiltin(b builtin, argv []string, io stdio) int {
	saved := s.outErr
	s.outErr = nil
	status := b(s, argv, io)
	if s.outErr != nil {
		s.builtinError(io, argv[0], "%s", s.outErr)
		status = max(status, 1)
	}
	s.outErr = saved
	return status
}

// builtinError writes "sh: NAME: MESSAGE" to the builtin's standard error
// and returns 1.
func (s *Shell) builtinError(io stdio, name, format string, args ...any) int {
	if fd := io.fd(2); fd >= 0 {
		s.p.Fprintf(fd, "sh: "+name+": "+format+"\n", args...)
	}
	return 1
}
