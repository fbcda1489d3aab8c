package coreutils

import (
	"path"
	"strings"
	"time"
)

// basename NAME [SUFFIX] prints NAME without its directories (and
// SUFFIX); -a NAME... does so for each name.
func basename(u *U, args []string) int {
	if len(args) > 0 && args[0] == "-a" {
		for _, a := range args[1:] {
			u.printf("%s\n", path.Base(a))
		}
		return 0
	}
	if len(args) < 1 || len(args) > 2 {
		return u.usage("NAME [SUFFIX] | -a NAME...")
	}
	b := path.Base(args[0])
	if len(args) == 2 && b != args[1] {
		b = strings.TrimSuffix(b, args[1])
	}
	u.printf("%s\n", b)
	return 0
}

// dirname NAME... prints each NAME without its last component.
func dirname(u *U, args []string) int {
	if len(args) == 0 {
		return u.usage("NAME...")
	}
	for _, a := range args {
		t := strings.TrimRight(a, "/")
		if t == "" && a != "" {
			t = "/"
		}
		u.printf("%s\n", path.Dir(t))
	}
	return 0
}

// date [-u] [+FORMAT] prints the virtual clock: the time since boot,
// counted from the epoch (1970-01-01 00:00:00 UTC), so that a run's
// dates are the same every time. FORMAT has %Y %m %d %H %M %S %N
// (nanoseconds) %s (seconds) %j %a %b %F %T %%.
func date(u *U, args []string) int {
	format := "%a %b %e %H:%M:%S UTC %Y"
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "+"):
			format = a[1:]
		case a == "-u":
		default:
			return u.usage("[-u] [+FORMAT]")
		}
	}
	u.printf("%s\n", strftime(format, time.Unix(0, u.Sys.Now()).UTC()))
	return 0
}

// strftime formats t as date's FORMAT.
func strftime(format string, t time.Time) string {
	var sb strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 == len(format) {
			sb.WriteByte(format[i])
			continue
		}
		i++
		switch c := format[i]; c {
		case 'Y':
			sb.WriteString(sprintf("%04d", t.Year()))
		case 'm':
			sb.WriteString(sprintf("%02d", int(t.Month())))
		case 'd':
			sb.WriteString(sprintf("%02d", t.Day()))
		case 'e':
			sb.WriteString(sprintf("%2d", t.Day()))
		case 'H':
			sb.WriteString(sprintf("%02d", t.Hour()))
		case 'M':
			sb.WriteString(sprintf("%02d", t.Minute()))
		case 'S':
			sb.WriteString(sprintf("%02d", t.Second()))
		case 'N':
			sb.WriteString(sprintf("%09d", t.Nanosecond()))
		case 's':
			sb.WriteString(sprintf("%d", t.Unix()))
		case 'j':
			sb.WriteString(sprintf("%03d", t.YearDay()))
		case 'a':
			sb.WriteString(t.Weekday().String()[:3])
		case 'b':
			sb.WriteString(t.Month().String()[:3])
		case 'F':
			sb.WriteString(t.Format("2006-01-02"))
		case 'T':
			sb.WriteString(t.Format("15:04:05"))
		case '%':
			sb.WriteByte('%')
		default:
			sb.WriteByte('%')
			sb.WriteByte(c)
		}
	}
	return sb.String()
}
