package coreutils

import (
	"bufio"
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
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

// tail [-f] [-n N | -n +N | -c N] [FILE...] prints the last N lines (10)
// of each file, or of the standard input; -N is -n N, -n +N from line N
// on, -c N the last N bytes. With -f it then follows one file: prints
// what is added to it, looking every 100ms of virtual time, until it is
// killed.
func tail(u *U, args []string) int {
	const usage = "[-f] [-n N | -n +N | -c N] [FILE...] (-f: one FILE)"
	follow := false
	if len(args) > 0 && args[0] == "-f" {
		follow, args = true, args[1:]
	}
	if opts, files, err := options(args, "fc:"); err == nil && has(opts, 'c') {
		c, err := strconv.Atoi(opts['c'])
		if err != nil || c < 0 || follow || has(opts, 'f') {
			return u.usage(usage)
		}
		return eachFile(u, files, lastBytes(u, c))
	}
	from := 0 // -n +N: from line N on
	for i, a := range args {
		if i > 0 && args[i-1] == "-n" && strings.HasPrefix(a, "+") {
			if n, err := strconv.Atoi(a[1:]); err == nil && n >= 0 {
				from, args = max(n, 1), append(slices.Clip(args[:i-1]), args[i+1:]...)
			}
			break
		}
	}
	n, files, ok := lineCount(u, args)
	if !ok || follow && len(files) != 1 {
		return u.usage(usage)
	}
	if from > 0 && !follow {
		return eachFile(u, files, linesFrom(u, from))
	}
	if follow {
		return tailFollow(u, files[0], n)
	}
	return eachFile(u, files, lastLines(u, n))
}

// lastBytes returns the printer of the last n bytes of an input.
func lastBytes(u *U, n int) func(io.Reader) error {
	return func(r io.Reader) error {
		data, err := io.ReadAll(r)
		u.Out.Write(data[max(0, len(data)-n):])
		return err
	}
}

// linesFrom returns the printer of an input's lines from line n (1 is the
// first) on.
func linesFrom(u *U, n int) func(io.Reader) error {
	return func(r io.Reader) error {
		br := bufio.NewReader(r)
		for line := 1; ; line++ {
			b, err := br.ReadBytes('\n')
			if line >= n {
				u.Out.Write(b)
			}
			if err != nil {
				return ignoreEOF(err)
			}
		}
	}
}

// tailFollowPollNs is how often tail -f looks for more, in virtual time,
// on a file it cannot follow through the file server (standard input).
const tailFollowPollNs = 100_000_000

// tailFollow prints the last n lines of file, then what is added to it.
// It follows a file of the file server through a stream (fsproto.Follow)
// that tells it each new size, and does not poll; on a truncation it
// starts again from the beginning, as GNU tail does.
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
	pos, err := u.Lseek(fd, 0, linux.SEEK_CUR)
	if err != nil {
		return tailPoll(u, file, fd)
	}
	fl, err := u.Follow(fd, pos)
	if err != nil {
		return tailPoll(u, file, fd)
	}
	defer fl.Stop()
	buf := make([]byte, 4096)
	for {
		u.Out.Flush()
		size, err := fl.Next()
		if err != nil {
			u.failOn(file, err)
			return 1
		}
		if size < pos {
			u.fail("%s: file truncated", file)
			if pos, err = u.Lseek(fd, 0, linux.SEEK_SET); err != nil {
				u.failOn(file, err)
				return 1
			}
		}
		for pos < size {
			got, err := u.Read(fd, buf)
			if err != nil {
				u.failOn(file, err)
				return 1
			}
			if got == 0 {
				break
			}
			u.Out.Write(buf[:got])
			pos += int64(got)
		}
	}
}

// tailPoll prints what is added to fd, looking every tailFollowPollNs.
func tailPoll(u *U, file string, fd int) int {
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
