package optparse

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Int is Python's int(s): surrounding whitespace, a sign, decimal digits
// with single underscores between them. ok is false where Python raises
// ValueError.
func Int(s string) (n int64, ok bool) { return pyInt(s, 10) }

// optInt is optparse's _parse_num for type="int": 0x is hex, 0b binary,
// any other leading 0 octal.
func optInt(val string) (int64, bool) {
	low := strings.ToLower(val)
	switch {
	case strings.HasPrefix(low, "0x"):
		return pyInt(val, 16)
	case strings.HasPrefix(low, "0b"):
		if val = val[2:]; val == "" {
			val = "0"
		}
		return pyInt(val, 2)
	case strings.HasPrefix(val, "0"):
		return pyInt(val, 8)
	}
	return pyInt(val, 10)
}

// pyInt is int(s, base) for bases 2, 8, 10 and 16.
func pyInt(s string, base int) (int64, bool) {
	s = strings.TrimSpace(s)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	prefix := map[int]string{2: "0b", 8: "0o", 16: "0x"}[base]
	if prefix != "" && len(s) >= 2 && strings.ToLower(s[:2]) == prefix {
		s = s[2:]
		if strings.HasPrefix(s, "_") {
			s = s[1:]
		}
	}
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' || strings.Contains(s, "__") {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), base, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// PyFloat is Python's float(s) for the forms the tools meet.
func PyFloat(s string) (float64, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch strings.TrimLeft(t, "+-") {
	case "inf", "infinity", "nan":
		f, err := strconv.ParseFloat(t, 64)
		return f, err == nil
	}
	if strings.Contains(t, "__") || strings.HasPrefix(t, "_") || strings.HasSuffix(t, "_") || strings.HasPrefix(t, "0x") {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(t, "_", ""), 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// Repr is Python's repr() of a str, for the ASCII strings of a command line.
func Repr(s string) string {
	q := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = `"`
	}
	var b strings.Builder
	b.WriteString(q)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case string(r) == q:
			b.WriteString(`\` + q)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(q)
	return b.String()
}

// help writes the parser's help in optparse's layout, each option's help
// wrapped as textwrap wraps it without COLUMNS set, and returns ErrHelp.
func (p *Parser) help(w io.Writer) error {
	fmt.Fprintf(w, "Usage: %s [options]\n\nOptions:\n", p.Prog)
	line := func(opts, text string) {
		lines := wrap(text, helpWidth)
		if len(opts) <= 20 && len(lines) > 0 {
			fmt.Fprintf(w, "  %-22s%s\n", opts, lines[0])
			lines = lines[1:]
		} else {
			fmt.Fprintf(w, "  %s\n", opts)
		}
		for _, l := range lines {
			fmt.Fprintf(w, "%24s%s\n", "", l)
		}
	}
	line("-h, --help", "show this help message and exit")
	for _, o := range p.Options {
		var names []string
		meta := ""
		if o.Kind != True {
			meta = strings.ToUpper(o.Dest)
		}
		if o.Short != "" {
			names = append(names, strings.TrimSpace(o.Short+" "+meta))
		}
		if o.Long != "" {
			if meta != "" {
				names = append(names, o.Long+"="+meta)
			} else {
				names = append(names, o.Long)
			}
		}
		line(strings.Join(names, ", "), o.Help)
	}
	return ErrHelp
}
