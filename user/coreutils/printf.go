package coreutils

import (
	"fmt"
	"strconv"
	"strings"
)

// printf FORMAT [ARG...] prints its arguments under the control of
// FORMAT, as printf(1): %s %b %c %d %i %u %o %x %X %e %f %g %%, with
// flags, width and precision; the escapes \n \t \\ \a \b \f \r \v \0NNN
// in FORMAT. The format is reused while arguments remain; a missing
// argument is "" or 0.
func printf(u *U, args []string) int {
	if len(args) == 0 {
		return u.usage("FORMAT [ARG...]")
	}
	format, args := args[0], args[1:]
	for {
		used := u.printfOnce(format, &args)
		if len(args) == 0 || used == 0 {
			break
		}
	}
	return 0
}

// printfOnce prints format once, taking arguments from args; it returns
// how many it took.
func (u *U) printfOnce(format string, args *[]string) int {
	used := 0
	next := func() (string, bool) {
		if len(*args) == 0 {
			return "", false
		}
		a := (*args)[0]
		*args = (*args)[1:]
		used++
		return a, true
	}
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch {
		case c == '\\':
			s, n := unescape(format[i:])
			u.Out.WriteString(s)
			i += n - 1
		case c == '%' && i+1 < len(format) && format[i+1] == '%':
			u.Out.WriteByte('%')
			i++
		case c == '%':
			j := i + 1
			for j < len(format) && strings.IndexByte("-+ #0123456789.", format[j]) >= 0 {
				j++
			}
			if j >= len(format) {
				u.Out.WriteString(format[i:])
				return used
			}
			arg, _ := next()
			u.Out.WriteString(u.conversion(format[i:j], format[j], arg))
			i = j
		default:
			u.Out.WriteByte(c)
		}
	}
	return used
}

// conversion formats one argument: spec is "%" and the flags, width and
// precision; verb the conversion letter.
func (u *U) conversion(spec string, verb byte, arg string) string {
	switch verb {
	case 's':
		return sprintf(spec+"s", arg)
	case 'b':
		s, _ := unescapeAll(arg)
		return sprintf(spec+"s", s)
	case 'c':
		if arg == "" {
			return ""
		}
		return sprintf(spec+"s", arg[:1])
	case 'd', 'i', 'u', 'o', 'x', 'X':
		n := u.number(arg)
		v := map[byte]string{'i': "d", 'u': "d"}[verb]
		if v == "" {
			v = string(verb)
		}
		return sprintf(spec+v, n)
	case 'e', 'E', 'f', 'F', 'g', 'G':
		f, err := strconv.ParseFloat(strings.TrimSpace(arg), 64)
		if err != nil && arg != "" {
			u.fail("%s: invalid number", arg)
		}
		return sprintf(spec+string(verb), f)
	}
	u.fail("%%%c: invalid conversion", verb)
	return ""
}

// number reads an integer argument: decimal, 0x hex, 0 octal, or 'c (the
// character's code).
func (u *U) number(arg string) int64 {
	if arg == "" {
		return 0
	}
	if arg[0] == '\'' || arg[0] == '"' {
		if len(arg) > 1 {
			return int64(arg[1])
		}
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(arg), 0, 64)
	if err != nil {
		u.fail("%s: invalid number", arg)
	}
	return n
}

// unescapeAll replaces the backslash escapes in s; stop is true at \c
// (print nothing more).
func unescapeAll(s string) (string, bool) {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			sb.WriteByte(s[i])
			continue
		}
		if strings.HasPrefix(s[i:], `\c`) {
			return sb.String(), true
		}
		e, n := unescape(s[i:])
		sb.WriteString(e)
		i += n - 1
	}
	return sb.String(), false
}

// unescape decodes the escape at the start of s (which starts with a
// backslash) and returns it and its length.
func unescape(s string) (string, int) {
	if len(s) < 2 {
		return s, len(s)
	}
	if e, ok := map[byte]string{'n': "\n", 't': "\t", '\\': "\\", 'a': "\a", 'b': "\b",
		'f': "\f", 'r': "\r", 'v': "\v", '"': "\"", '\'': "'"}[s[1]]; ok {
		return e, 2
	}
	if s[1] >= '0' && s[1] <= '7' {
		j := 1
		if s[1] == '0' {
			j = 2
		}
		end := j
		for end < len(s) && end < j+3 && s[end] >= '0' && s[end] <= '7' {
			end++
		}
		v, _ := strconv.ParseUint(s[j:end], 8, 8)
		return string([]byte{byte(v)}), end
	}
	return s[:2], 2
}

// sprintf is fmt.Sprintf.
var sprintf = fmt.Sprintf
