package ulib

import (
	"fmt"
	"strings"
)

// Getopt parses a program's leading options, as libc's getopt: spec
// lists the option letters, and a letter followed by ':' takes a value
// ("-n 5" or "-n5"). Letters may be grouped ("-la"). It stops at "--"
// (which it drops), at "-" and at the first argument that is not an
// option, and returns the options by letter (a flag's value is "") and
// the arguments left. An unknown letter or a missing value is an error
// in getopt's words.
func Getopt(args []string, spec string) (map[byte]string, []string, error) {
	got := map[byte]string{}
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		a := args[0]
		args = args[1:]
		if a == "--" {
			break
		}
		for i := 1; i < len(a); i++ {
			at := strings.IndexByte(spec, a[i])
			switch {
			case at < 0:
				return nil, nil, fmt.Errorf("invalid option -- '%c'", a[i])
			case at+1 < len(spec) && spec[at+1] == ':':
				v := a[i+1:]
				if v == "" {
					if len(args) == 0 {
						return nil, nil, fmt.Errorf("option requires an argument -- '%c'", a[i])
					}
					v, args = args[0], args[1:]
				}
				got[a[i]] = v
				i = len(a)
			default:
				got[a[i]] = ""
			}
		}
	}
	return got, args, nil
}
