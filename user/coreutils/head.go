package coreutils

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
)

// head [-n N | -c N] [FILE...] prints the first N lines (10) of each
// file, or of the standard input; -N is -n N, -c N the first N bytes. It
// reads no further than it prints (head -c 10 /dev/zero ends).
func head(u *U, args []string) int {
	lines, files, ok := lineCount(u, args)
	bytes := -1
	if opts, rest, err := options(args, "c:"); err == nil && has(opts, 'c') {
		c, err := strconv.Atoi(opts['c'])
		ok, bytes, files = err == nil && c >= 0, c, rest
	}
	if !ok {
		return u.usage("[-n N | -c N] [FILE...]")
	}
	return eachFile(u, files, func(r io.Reader) error {
		if bytes >= 0 {
			_, err := io.CopyN(u.Out, r, int64(bytes))
			if err == io.EOF {
				err = nil
			}
			return err
		}
		br := bufio.NewReader(r)
		for range lines {
			line, err := br.ReadBytes('\n')
			u.Out.Write(line)
			if err != nil {
				return ignoreEOF(err)
			}
		}
		return nil
	})
}

// tail [-f] [-n N] [FILE...] prints the last N lines (10) of each file,
// or of the standard input; -N is -n N. With -f it then follows one file:
// prints what is added to it, looking every 100ms of virtual time, until
// it is killed.
func tail(u *U, args []string) int {
	follow := false
	if len(args) > 0 && args[0] == "-f" {
		follow, args = true, args[1:]
	}
	n, files, ok := lineCount(u, args)
	if !ok || follow && len(files) != 1 {
		return u.usage("[-f] [-n N] [FILE...] (-f: one FILE)")
	}
	if follow {
		return tailFollow(u, files[0], n)
	}
	return eachFile(u, files, lastLines(u, n))
}

// tailFollowPollNs is how often tail -f looks for more, in virtual time.
const tailFollowPollNs = 100_000_000

// tailFollow prints the last n lines of file, then what is added to it.
func tailFollow(u *U, file string, n int) int {
	fd, close, err := u.input(file)
	if err != nil {
		u.fail("cannot open '%s' for reading: %s", file, strerror(err))
		return 1
	}
	defer close()
	if err := lastLines(u, n)(u.File(fd)); err != nil {
		u.failOn(file, err)
		return 1
	}
	buf := make([]byte, 4096)
	for {
		u.Out.Flush()
		got, err := u.Read(fd, buf)
		if err != nil {
			u.failOn(file, err)
			return 1
		}
		u.Out.Write(buf[:got])
		if got == 0 {
			if err := u.Sleep(tailFollowPollNs); err != nil {
				return 1
			}
		}
	}
}

// lastLines returns the printer of the last n lines of an input.
func lastLines(u *U, n int) func(io.Reader) error {
	return func(r io.Reader) error {
		data, err := io.ReadAll(r)
		lines := bytes.SplitAfter(data, []byte{'\n'})
		if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1]
		}
		u.Out.Write(bytes.Join(lines[max(0, len(lines)-n):], nil))
		return err
	}
}

// lineCount reads -n N or -N.
func lineCount(u *U, args []string) (int, []string, bool) {
	if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		if n, err := strconv.Atoi(args[0][1:]); err == nil && n >= 0 {
			return n, args[1:], true
		}
	}
	opts, files, err := options(args, "n:")
	if err != nil {
		return 0, nil, false
	}
	n := 10
	if v, ok := opts['n']; ok {
		if n, err = strconv.Atoi(v); err != nil || n < 0 {
			return 0, nil, false
		}
	}
	return n, files, true
}

// eachFile runs do on each input, with "==> NAME <==" headers when there
// are several.
func eachFile(u *U, files []string, do func(io.Reader) error) int {
	names := files
	if len(names) == 0 {
		names = []string{"-"}
	}
	for i, f := range names {
		fd, close, err := u.input(f)
		if err != nil {
			u.fail("cannot open '%s' for reading: %s", f, strerror(err))
			continue
		}
		if len(names) > 1 {
			if i > 0 {
				u.printf("\n")
			}
			u.printf("==> %s <==\n", f)
		}
		if err := do(u.File(fd)); err != nil {
			u.failOn(f, err)
		}
		close()
	}
	return 0
}

// ignoreEOF is err, or nil for the end of the input.
func ignoreEOF(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}
