package coreutils

import (
	"bufio"
	"io"
	"strings"
)

// Reading inputs as lines, for the filters (sort, uniq, cut, tr, …).

// readLines returns the lines of the files (the standard input for none
// or "-"), without their new lines; a file that cannot be read is
// reported and skipped.
func readLines(u *U, files []string) []string {
	var lines []string
	eachInput(u, files, func(r io.Reader) error {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		return sc.Err()
	})
	return lines
}

// eachInput runs do on each input in turn, without headers.
func eachInput(u *U, files []string, do func(io.Reader) error) {
	if len(files) == 0 {
		files = []string{"-"}
	}
	for _, f := range files {
		fd, close, err := u.input(f)
		if err != nil {
			u.fail("%s: %s", f, strerror(err))
			continue
		}
		if err := do(u.File(fd)); err != nil {
			u.failOn(f, err)
		}
		close()
	}
}

// printLines writes lines, each with a new line.
func printLines(u *U, lines []string) {
	for _, l := range lines {
		u.Out.WriteString(l)
		u.Out.WriteByte('\n')
	}
}

// fieldsOf splits a line into fields at sep ("" for runs of blanks).
func fieldsOf(line, sep string) []string {
	if sep == "" {
		return strings.Fields(line)
	}
	return strings.Split(line, sep)
}
