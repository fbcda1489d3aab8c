package coreutils

import (
	"bufio"
	"bytes"
	"regexp"
)

// grep [-vcinqlxwEF] [-e PATTERN | PATTERN] [FILE...] prints the lines
// that match the regular expression (Go's syntax, extended as -E's); -v
// those that do not, -c their count, -i ignoring case, -n with line
// numbers, -q nothing (the status says), -l the names of the files with a
// match, -x matching whole lines, -w whole words, -F a fixed string.
// Status 1 when no line matched, 2 for an error.
func grep(u *U, args []string) int {
	const usage = "[-vcinqlxwEF] [-e PATTERN | PATTERN] [FILE...]"
	opts, rest, err := options(args, "vcinqlxwEFe:")
	expr, hasExpr := opts['e']
	if !hasExpr && len(rest) > 0 {
		expr, rest, hasExpr = rest[0], rest[1:], true
	}
	if err != nil || !hasExpr {
		u.usage(usage)
		return 2
	}
	expr = grepExpr(expr, opts)
	re, err := regexp.Compile(expr)
	if err != nil {
		u.fail("%v", err)
		return 2
	}
	files := rest
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
		hit := u.grepFile(bufio.NewScanner(u.File(fd)), re, opts, prefix)
		close()
		if hit && has(opts, 'l') {
			u.printf("%s\n", f)
		}
		matched = matched || hit
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
		case has(opts, 'q') || has(opts, 'l'):
			return true // the status (or the name) is all that is printed
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

// grepExpr is the regular expression grep's options make of pattern.
func grepExpr(pattern string, opts map[byte]string) string {
	if has(opts, 'F') {
		pattern = regexp.QuoteMeta(pattern)
	}
	switch {
	case has(opts, 'x'):
		pattern = "^(?:" + pattern + ")$"
	case has(opts, 'w'):
		pattern = `\b(?:` + pattern + `)\b`
	}
	if has(opts, 'i') {
		pattern = "(?i)" + pattern
	}
	return pattern
}
