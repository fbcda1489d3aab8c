package textdiff

import (
	"fmt"
	"strings"
)

// First returns the first line (from 1) where got and want differ, and
// that line of each ("" past the end); ok is false when they are equal
// line for line.
func First(got, want string) (line int, g, w string, ok bool) {
	gs, ws := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(gs), len(ws)) {
		var gl, wl string
		if i < len(gs) {
			gl = gs[i]
		}
		if i < len(ws) {
			wl = ws[i]
		}
		if gl != wl {
			return i + 1, gl, wl, true
		}
	}
	return 0, "", "", false
}

// FirstLine describes the first line where got and want differ.
func FirstLine(got, want string) string {
	if i, g, w, ok := First(got, want); ok {
		return fmt.Sprintf("line %d:\n got  %q\n want %q", i, g, w)
	}
	return "no line (lengths differ)"
}
