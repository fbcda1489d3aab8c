package coreutils

import (
	"bufio"
	"io"
)

// cat [-nu] [FILE...] copies each file (- or none: the standard input)
// to the standard output, as it reads it: cat on a terminal shows each
// line as it is typed. -n numbers the lines (across the files, as GNU
// cat); -u (unbuffered) is what cat always is.
func cat(u *U, args []string) int {
	opts, args, err := options(args, "nu")
	if err != nil {
		return u.usage("[-nu] [FILE...]")
	}
	if len(args) == 0 {
		args = []string{"-"}
	}
	if has(opts, 'n') {
		return catNumbered(u, args)
	}
	out := &outWriter{w: u.File(1)}
	for _, a := range args {
		fd, close, err := u.input(a)
		if err != nil {
			u.failOn(a, err)
			continue
		}
		_, err = io.CopyBuffer(out, u.File(fd), make([]byte, 64<<10))
		close()
		switch {
		case out.err != nil:
			u.writeFailed(out.err)
			return 1
		case err != nil:
			u.failOn(a, err)
		}
	}
	return 0
}

// input opens a file named as an input: "-" is the standard input. close
// closes what input opened.
func (u *U) input(name string) (int, func(), error) {
	if name == "-" {
		return 0, func() {}, nil
	}
	fd, err := u.Open(name, 0, 0)
	if err != nil {
		return -1, nil, err
	}
	a, err := u.Fstat(fd)
	if err == nil && a.IsDir() {
		u.Close(fd)
		return -1, nil, errIsDir
	}
	return fd, func() { u.Close(fd) }, nil
}

// catNumbered is cat -n: each line with its number, right-aligned in six
// columns and a tab, as GNU cat prints it.
func catNumbered(u *U, args []string) int {
	line := 0
	for _, a := range args {
		fd, close, err := u.input(a)
		if err != nil {
			u.failOn(a, err)
			continue
		}
		br := bufio.NewReader(u.File(fd))
		for {
			b, err := br.ReadBytes('\n')
			if len(b) > 0 {
				line++
				u.printf("%6d\t%s", line, b)
			}
			if err != nil {
				if err != io.EOF {
					u.failOn(a, err)
				}
				break
			}
		}
		close()
	}
	return u.status // a failed write is reported as the utility ends (flushOut)
}
