package coreutils

import (
	"strings"
)

// diff [-u] [-q] FILE1 FILE2 compares two files line by line and prints
// how to turn the first into the second: in the normal format (3c3,
// < old, ---, > new), or unified (-u, with three lines of context), or
// only whether they differ (-q). The status is 0 when they are the same,
// 1 when they differ, 2 on trouble.
func diff(u *U, args []string) int {
	opts, files, err := options(args, "uq")
	if err != nil || len(files) != 2 {
		return u.usage("[-uq] FILE1 FILE2")
	}
	var text [2][]string
	for i, f := range files {
		before := u.status
		text[i] = readLines(u, []string{f})
		if u.status != before {
			return 2
		}
	}
	edits := lcsDiff(text[0], text[1])
	same := true
	for _, e := range edits {
		same = same && e.op == ' '
	}
	switch {
	case same:
		return 0
	case has(opts, 'q'):
		u.printf("Files %s and %s differ\n", files[0], files[1])
	case has(opts, 'u'):
		u.printf("--- %s\n+++ %s\n", files[0], files[1])
		unified(u, edits)
	default:
		normal(u, edits)
	}
	return 1
}

// edit is one line of a diff: ' ' kept, '-' deleted, '+' added; a and b
// are its line numbers (from 1) in the two files.
type edit struct {
	op   byte
	line string
	a, b int
}

// lcsDiff computes the edits by the longest common subsequence.
func lcsDiff(x, y []string) []edit {
	n, m := len(x), len(y)
	l := make([][]int, n+1)
	for i := range l {
		l[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	var out []edit
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			out = append(out, edit{' ', x[i], i + 1, j + 1})
			i, j = i+1, j+1
		case j < m && (i == n || l[i][j+1] > l[i+1][j]):
			out = append(out, edit{'+', y[j], i, j + 1})
			j++
		default:
			out = append(out, edit{'-', x[i], i + 1, j})
			i++
		}
	}
	return out
}

// normal prints edits in diff's normal format.
func normal(u *U, edits []edit) {
	for i := 0; i < len(edits); {
		if edits[i].op == ' ' {
			i++
			continue
		}
		j := i
		var del, add []edit
		for ; j < len(edits) && edits[j].op != ' '; j++ {
			if edits[j].op == '-' {
				del = append(del, edits[j])
			} else {
				add = append(add, edits[j])
			}
		}
		a, b := edits[i].a, edits[i].b
		switch {
		case len(del) == 0:
			u.printf("%da%s\n", a, span(add[0].b, len(add)))
		case len(add) == 0:
			u.printf("%sd%d\n", span(del[0].a, len(del)), b)
		default:
			u.printf("%sc%s\n", span(del[0].a, len(del)), span(add[0].b, len(add)))
		}
		for _, e := range del {
			u.printf("< %s\n", e.line)
		}
		if len(del) > 0 && len(add) > 0 {
			u.printf("---\n")
		}
		for _, e := range add {
			u.printf("> %s\n", e.line)
		}
		i = j
	}
}

// span renders lines from..from+n-1 as "N" or "N,M".
func span(from, n int) string {
	if n == 1 {
		return sprintf("%d", from)
	}
	return sprintf("%d,%d", from, from+n-1)
}

// unified prints edits as hunks with three lines of context.
func unified(u *U, edits []edit) {
	const context = 3
	for i := 0; i < len(edits); {
		if edits[i].op == ' ' {
			i++
			continue
		}
		start := max(0, i-context)
		end := i
		for k := i; k < len(edits); k++ {
			if edits[k].op != ' ' {
				end = k
			} else if k-end > 2*context {
				break
			}
		}
		end = min(len(edits), end+context+1)
		hunk := edits[start:end]
		var sb strings.Builder
		na, nb := 0, 0
		for _, e := range hunk {
			sb.WriteString(string(e.op) + e.line + "\n")
			if e.op != '+' {
				na++
			}
			if e.op != '-' {
				nb++
			}
		}
		a0, b0 := hunk[0].a, hunk[0].b
		if hunk[0].op == '+' {
			a0++
		}
		if hunk[0].op == '-' {
			b0++
		}
		u.printf("@@ -%d,%d +%d,%d @@\n%s", a0, na, b0, nb, sb.String())
		i = end
	}
}
