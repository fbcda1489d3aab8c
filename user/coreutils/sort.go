package coreutils

import (
	"sort"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
)

// sort [-r] [-n] [-u] [-f] [-k N] [-t SEP] [-o FILE] [FILE...] prints the
// lines of the files in order: -n by number, -r reversed, -u once each, -f
// folding case, -k N by the Nth field (separated by SEP with -t, else by
// blanks); -o writes them to FILE instead (which may be one of the
// inputs: it is written after they are read). The sort is stable.
func sortLines(u *U, args []string) int {
	opts, files, err := options(args, "rnufk:t:o:")
	if err != nil {
		return u.usage("[-rnuf] [-k N] [-t SEP] [-o FILE] [FILE...]")
	}
	key := func(l string) string { return l }
	if k, ok := opts['k']; ok {
		n, err := strconv.Atoi(strings.SplitN(k, ",", 2)[0])
		if err != nil || n < 1 {
			u.fail("invalid field number '%s'", k)
			return 2
		}
		sep := opts['t']
		key = func(l string) string {
			f := fieldsOf(l, sep)
			if n > len(f) {
				return ""
			}
			return strings.Join(f[n-1:], " ")
		}
	}
	less := func(a, b string) bool { return a < b }
	switch {
	case has(opts, 'n'):
		less = func(a, b string) bool { return leadingNumber(a) < leadingNumber(b) }
	case has(opts, 'f'):
		less = func(a, b string) bool { return strings.ToLower(a) < strings.ToLower(b) }
	}
	lines := readLines(u, files)
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := key(lines[i]), key(lines[j])
		if has(opts, 'r') {
			return less(b, a)
		}
		return less(a, b)
	})
	if has(opts, 'u') {
		out := lines[:0]
		for i, l := range lines {
			if i == 0 || less(key(lines[i-1]), key(l)) || less(key(l), key(lines[i-1])) {
				out = append(out, l)
			}
		}
		lines = out
	}
	if o, ok := opts['o']; ok {
		return u.writeLinesTo(o, lines)
	}
	printLines(u, lines)
	return 0
}

// writeLinesTo writes lines to the file at path, replacing it.
func (u *U) writeLinesTo(path string, lines []string) int {
	fd, err := u.Open(path, linux.O_WRONLY|linux.O_CREAT|linux.O_TRUNC, 0o644)
	if err != nil {
		u.failOn(path, err)
		return 2
	}
	defer u.Close(fd)
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if _, err := u.Write(fd, []byte(b.String())); err != nil {
		u.fail("write error: %s: %s", path, strerror(err))
		return 2
	}
	return 0
}

// leadingNumber is the number a line starts with (after blanks), 0 if
// none, as sort -n reads it.
func leadingNumber(s string) float64 {
	s = strings.TrimLeft(s, " \t")
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || end == 0 && s[end] == '-') {
		end++
	}
	v, _ := strconv.ParseFloat(s[:end], 64)
	return v
}

// uniq [-c] [-d] [-u] [-i] [INPUT] prints the lines of its input with
// adjacent repeats once: -c with counts, -d only the repeated ones, -u
// only the unrepeated ones, -i ignoring case.
func uniq(u *U, args []string) int {
	opts, files, err := options(args, "cdui")
	if err != nil || len(files) > 1 {
		return u.usage("[-cdui] [INPUT]")
	}
	same := func(a, b string) bool { return a == b }
	if has(opts, 'i') {
		same = strings.EqualFold
	}
	lines := readLines(u, files)
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && same(lines[i], lines[j]) {
			j++
		}
		n := j - i
		if (!has(opts, 'd') || n > 1) && (!has(opts, 'u') || n == 1) {
			if has(opts, 'c') {
				u.printf("%7d ", n)
			}
			u.printf("%s\n", lines[i])
		}
		i = j
	}
	return 0
}
