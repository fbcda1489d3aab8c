package coreutils

import (
	"io"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
)

// tee [-a] [FILE...] copies its standard input to its standard output
// and to each file (-a: appending).
func tee(u *U, args []string) int {
	opts, files, err := options(args, "a")
	if err != nil {
		return u.usage("[-a] [FILE...]")
	}
	flags := linux.O_WRONLY | linux.O_CREAT | linux.O_TRUNC
	if has(opts, 'a') {
		flags = linux.O_WRONLY | linux.O_CREAT | linux.O_APPEND
	}
	var fds []int
	var names []string
	for _, f := range files {
		fd, err := u.Open(f, flags, 0o644)
		if err != nil {
			u.failOn(f, err)
			continue
		}
		fds, names = append(fds, fd), append(names, f)
		defer u.Close(fd)
	}
	buf := make([]byte, 4096)
	outOK := true
	for {
		n, err := u.Read(0, buf)
		if n > 0 {
			if outOK {
				u.Out.Write(buf[:n])
				if werr := u.Out.Flush(); werr != nil {
					u.writeFailed(werr)
					outOK = false
				}
			}
			for i, fd := range fds {
				if fd < 0 {
					continue
				}
				if _, werr := u.Write(fd, buf[:n]); werr != nil {
					u.fail("write error: %s: %s", names[i], strerror(werr))
					fds[i] = -1 // as GNU tee: stop writing there, go on with the others
				}
			}
		}
		if n == 0 || err != nil {
			return u.status
		}
	}
}

// seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST prints the numbers from
// FIRST (1) to LAST by INCREMENT (1), one a line (or separated by SEP);
// -w pads them to equal width.
func seq(u *U, args []string) int {
	var nums []int64
	sep, width := "\n", false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-s" && i+1 < len(args):
			sep, i = args[i+1], i+1
		case strings.HasPrefix(a, "-s") && len(a) > 2: // -s, as -s ,
			sep = a[2:]
		case a == "-w":
			width = true
		default:
			n, err := strconv.ParseInt(a, 10, 64)
			if err != nil {
				u.fail("invalid number '%s'", a)
				return 1
			}
			nums = append(nums, n)
		}
	}
	first, step, last := int64(1), int64(1), int64(0)
	switch len(nums) {
	case 1:
		last = nums[0]
	case 2:
		first, last = nums[0], nums[1]
	case 3:
		first, step, last = nums[0], nums[1], nums[2]
	default:
		return u.usage("[-s SEP] [-w] [FIRST [INCREMENT]] LAST")
	}
	if step == 0 {
		u.fail("zero increment")
		return 1
	}
	pad := 0
	if width {
		pad = max(len(strconv.FormatInt(first, 10)), len(strconv.FormatInt(last, 10)))
	}
	out := []string{}
	for n := first; step > 0 && n <= last || step < 0 && n >= last; n += step {
		out = append(out, sprintf("%0*d", pad, n))
	}
	if len(out) > 0 {
		u.printf("%s\n", strings.Join(out, sep))
	}
	return 0
}

// cut -f LIST [-d DELIM] [-s] | -c LIST | -b LIST [FILE...] prints the
// selected fields (separated by DELIM, a tab by default; -s skips lines
// without it), characters or bytes of each line. A LIST is N, N-M, N-,
// -M, separated by commas.
func cut(u *U, args []string) int {
	opts, files, err := options(args, "f:d:c:b:s")
	if err != nil {
		return u.usage("-f LIST [-d DELIM] [-s] | -c LIST | -b LIST [FILE...]")
	}
	list, mode := "", byte(0)
	for _, m := range []byte{'f', 'c', 'b'} {
		if v, ok := opts[m]; ok {
			list, mode = v, m
		}
	}
	sel, ok := parseRanges(list)
	if mode == 0 || !ok {
		u.fail("invalid list '%s'", list)
		return 1
	}
	delim := "\t"
	if d, ok := opts['d']; ok {
		delim = d
	}
	for _, line := range readLines(u, files) {
		if mode != 'f' {
			var sb strings.Builder
			for i := range len(line) {
				if sel(i + 1) {
					sb.WriteByte(line[i])
				}
			}
			u.printf("%s\n", sb.String())
			continue
		}
		if !strings.Contains(line, delim) {
			if !has(opts, 's') {
				u.printf("%s\n", line)
			}
			continue
		}
		var out []string
		for i, f := range strings.Split(line, delim) {
			if sel(i + 1) {
				out = append(out, f)
			}
		}
		u.printf("%s\n", strings.Join(out, delim))
	}
	return 0
}

// parseRanges parses a cut LIST into a test of positions (from 1).
func parseRanges(list string) (func(int) bool, bool) {
	type span struct{ lo, hi int }
	var spans []span
	for _, part := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		s := span{1, 1 << 30}
		var err error
		if lo != "" {
			if s.lo, err = strconv.Atoi(lo); err != nil || s.lo < 1 {
				return nil, false
			}
		}
		switch {
		case !isRange:
			s.hi = s.lo
		case hi != "":
			if s.hi, err = strconv.Atoi(hi); err != nil || s.hi < s.lo {
				return nil, false
			}
		case lo == "":
			return nil, false
		}
		spans = append(spans, s)
	}
	return func(i int) bool {
		for _, s := range spans {
			if s.lo <= i && i <= s.hi {
				return true
			}
		}
		return false
	}, list != ""
}

// tr [-d] [-s] [-c] SET1 [SET2] translates the characters of SET1 in its
// standard input to those of SET2 (the last repeated), or deletes them
// (-d), squeezing repeats of SET2's (-s); -c takes the complement of
// SET1. Sets have ranges (a-z), escapes (\n \t \\) and the classes
// [:upper:] [:lower:] [:digit:] [:space:] [:alpha:] [:alnum:].
func tr(u *U, args []string) int {
	opts, sets, err := options(args, "dsc")
	if err != nil || len(sets) < 1 || len(sets) > 2 || !has(opts, 'd') && !has(opts, 's') && len(sets) != 2 {
		return u.usage("[-dsc] SET1 [SET2]")
	}
	from := expandSet(sets[0])
	var to []byte
	if len(sets) == 2 {
		to = expandSet(sets[1])
	}
	in := [256]bool{}
	for _, c := range from {
		in[c] = true
	}
	if has(opts, 'c') {
		for i := range in {
			in[i] = !in[i]
		}
	}
	mapping := [256]int{}
	for i := range mapping {
		mapping[i] = i
	}
	if !has(opts, 'd') && len(to) > 0 && !has(opts, 'c') {
		for i, c := range from {
			mapping[c] = int(to[min(i, len(to)-1)])
		}
	}
	squeeze := [256]bool{}
	for _, c := range to {
		squeeze[c] = true
	}
	if has(opts, 's') && len(sets) == 1 {
		squeeze = in
	}
	data, err := io.ReadAll(u.File(0))
	if err != nil {
		u.fail("%s", strerror(err))
	}
	out := make([]byte, 0, len(data))
	for _, c := range data {
		if has(opts, 'd') && in[c] {
			continue
		}
		m := byte(mapping[c])
		if has(opts, 's') && squeeze[m] && len(out) > 0 && out[len(out)-1] == m {
			continue
		}
		out = append(out, m)
	}
	u.Out.Write(out)
	return 0
}

// setClasses are tr's character classes.
var setClasses = map[string]string{
	"upper": "A-Z", "lower": "a-z", "digit": "0-9", "space": " \\t\\n\\r\\v\\f",
	"alpha": "a-zA-Z", "alnum": "a-zA-Z0-9", "blank": " \\t",
}

// expandSet expands a tr set into its characters in order.
func expandSet(s string) []byte {
	for name, chars := range setClasses {
		s = strings.ReplaceAll(s, "[:"+name+":]", chars)
	}
	var raw []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			e, n := unescape(s[i:])
			raw = append(raw, e...)
			i += n - 1
			continue
		}
		raw = append(raw, s[i])
	}
	var out []byte
	for i := 0; i < len(raw); i++ {
		if i+2 < len(raw) && raw[i+1] == '-' && raw[i] <= raw[i+2] {
			for c := int(raw[i]); c <= int(raw[i+2]); c++ {
				out = append(out, byte(c))
			}
			i += 2
			continue
		}
		out = append(out, raw[i])
	}
	return out
}
