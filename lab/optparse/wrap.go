package optparse

import "strings"

// helpWidth is the width optparse wraps an option's help to: the terminal
// width Python assumes without COLUMNS (80), less 2, less the help
// column (24).
const helpWidth = 80 - 2 - 24

// wrap is Python's textwrap.wrap(text, width) with its defaults: words
// broken after the hyphens textwrap breaks at, lines filled greedily,
// whitespace dropped at the ends of lines, words longer than a line cut.
func wrap(text string, width int) []string {
	chunks := wrapChunks(text)
	var lines []string
	for len(chunks) > 0 {
		if len(lines) > 0 && strings.TrimSpace(chunks[0]) == "" {
			chunks = chunks[1:]
		}
		var cur []string
		n := 0
		for len(chunks) > 0 && n+len(chunks[0]) <= width {
			cur = append(cur, chunks[0])
			n += len(chunks[0])
			chunks = chunks[1:]
		}
		if len(chunks) > 0 && len(chunks[0]) > width {
			c, left := chunks[0], max(width-n, 1)
			end := left
			if h := strings.LastIndex(c[:left], "-"); h > 0 && strings.Trim(c[:h], "-") != "" {
				end = h + 1
			}
			cur = append(cur, c[:end])
			n += end
			chunks[0] = c[end:]
		}
		if len(cur) > 0 && strings.TrimSpace(cur[len(cur)-1]) == "" {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			lines = append(lines, strings.Join(cur, ""))
		}
	}
	return lines
}

// wrapChunks splits text as textwrap's wordsep_re does: runs of spaces,
// and words, a word cut after each hyphen that has two letters (or a
// letter, a hyphen and a letter) before it and a letter after it
// (optionally past one more hyphen) and then a letter.
func wrapChunks(text string) []string {
	var chunks []string
	s := []byte(text)
	for i := range s {
		if s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\v' || s[i] == '\f' {
			s[i] = ' '
		}
	}
	for i := 0; i < len(s); {
		j := i + 1
		if s[i] == ' ' {
			for j < len(s) && s[j] == ' ' {
				j++
			}
		} else {
			for j < len(s) && s[j] != ' ' && !hyphenBreak(s, j-1) {
				j++
			}
		}
		chunks = append(chunks, string(s[i:j]))
		i = j
	}
	return chunks
}

// hyphenBreak reports whether a word may be cut after s[i], a hyphen.
func hyphenBreak(s []byte, i int) bool {
	if s[i] != '-' || i < 1 {
		return false
	}
	before := (i >= 2 && letter(s[i-1]) && letter(s[i-2])) ||
		(i >= 3 && letter(s[i-1]) && s[i-2] == '-' && letter(s[i-3]))
	at := func(k int) byte {
		if k < len(s) {
			return s[k]
		}
		return 0
	}
	after := letter(at(i+1)) && (letter(at(i+2)) || (at(i+2) == '-' && letter(at(i+3))))
	return before && after
}

// letter is textwrap's [^\d\W] for ASCII: a letter or an underscore.
func letter(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}
