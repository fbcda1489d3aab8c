package coreutils

import (
	"fmt"
	"strconv"
	"time"
)

// sleep DURATION... sleeps for the sum of its arguments in virtual time:
// seconds, or a number with a unit (s, m, h, d, or Go's ms, us, ns).
func sleep(u *U, args []string) int {
	if len(args) == 0 {
		u.fail("missing operand")
		return 1
	}
	var total time.Duration
	for _, a := range args {
		d, err := ParseInterval(a)
		if err != nil {
			u.fail("invalid time interval '%s'", a)
			return 1
		}
		total += d
	}
	if err := u.Sleep(int64(total)); err != nil {
		return 1
	}
	return 0
}

// units are sleep(1)'s suffixes.
var units = map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}

// ParseInterval reads "1.5", "2m" or "10ms".
func ParseInterval(s string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 {
		return time.Duration(f * float64(time.Second)), nil
	}
	if n := len(s); n > 1 {
		if u, ok := units[s[n-1]]; ok {
			if f, err := strconv.ParseFloat(s[:n-1], 64); err == nil && f >= 0 {
				return time.Duration(f * float64(u)), nil
			}
		}
	}
	d, err := time.ParseDuration(s)
	if err == nil && d < 0 {
		err = fmt.Errorf("negative")
	}
	return d, err
}
