package coreutils

import (
	"bufio"
	"bytes"
	"regexp"
)

// grep [-v] [-c] [-i] [-n] PATTERN [FILE...] prints the lines that match
// the regular expression (Go's syntax); -v those that do not, -c their
// count, -i ignoring case, -n with line numbers. Status 1 when no line
// matched, 2 for an error.
func grep(u *U, args []string) int {
	opts, rest, err := options(args, "vcin")
	if err != nil || len(rest) == 0 {
		u.usage("[-v] [-c] [-i] [-n] PATTERN [FILE...]")
		return 2
	}
	expr := rest[0]
	if has(opts, 'i') {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		u.fail("%v", err)
		return 2
	}
	files := rest[1:]
	names := files
	if len(names) == 0 {
		names = []string{"-"}
	}
	matched := false
	for _, f := range names {
		fd, close, err := u.input(f)
		if err != nil {
			u.failOn(f, err)
			continue
		}
		prefix := ""
		if len(files) > 1 {
			prefix = f + ":"
		}
		matched = u.grepFile(bufio.NewScanner(u.File(fd)), re, opts, prefix) || matched
		close()
	}
	switch {
	case u.status != 0:
		return 2
	case !matched:
		return 1
	}
	return 0
}

// grepFile greps one input and reports whether a line matched.
func (u *U) grepFile(sc *bufio.Scanner, re *regexp.Regexp, opts map[byte]string, prefix string) bool {
	count, line := 0, 0
	for sc.Scan() {
		line++
		if re.Match(sc.Bytes()) == has(opts, 'v') {
			continue
		}
		count++
		switch {
		case has(opts, 'c'):
		case has(opts, 'n'):
			u.printf("%s%d:%s\n", prefix, line, bytes.TrimRight(sc.Bytes(), "\r"))
		default:
			u.printf("%s%s\n", prefix, sc.Bytes())
		}
	}
	if has(opts, 'c') {
		u.printf("%s%d\n", prefix, count)
	}
	return count > 0
}
