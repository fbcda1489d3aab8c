package coreutils

import "strings"

// echo [-n] [ARG...] prints its arguments separated by spaces; -n leaves
// out the new line.
func echo(u *U, args []string) int {
	nl := "\n"
	if len(args) > 0 && args[0] == "-n" {
		args, nl = args[1:], ""
	}
	u.printf("%s%s", strings.Join(args, " "), nl)
	return 0
}
