package boot

import (
	"fmt"
	"strconv"
	"strings"
)

// Addressing a machine from one script: `mkos run --hosts N -c 'on 2
// httpd &; sleep 1; wget http://host2/'`. SplitOn gives each machine its
// own script before the machines boot: a top-level command that starts
// with `on K` goes to machine K (without the `on K`, and with its `&`
// when it has one), every other command to the default machine, in the
// order written. Every machine starts its script at virtual time 0, so
// commands on different machines are ordered by time (sleep), not by
// their place in the script. `on K` is a word of the script, not of the
// shell: it addresses only a top-level command (not one inside if, for,
// while, case, { } or ( )), and a here-document's text is not read.

// SplitOn splits script among hosts machines: scripts[K-1] is machine
// K's, with the commands for def (from 1) left as they are written. An
// `on` with no machine number, with one outside 1..hosts, or with no
// command is an error.
func SplitOn(script string, hosts, def int) ([]string, error) {
	out := make([]strings.Builder, hosts)
	for _, sg := range segments(script) {
		k, cmd, isOn, err := onCommand(sg.text, hosts)
		switch {
		case err != nil:
			return nil, err
		case strings.TrimSpace(sg.text) == "" && sg.sep != "\n":
			// `on 2 httpd &; sleep 1`: the ; after a taken & has nothing
		case !isOn:
			out[def-1].WriteString(sg.text + sg.sep)
		case sg.sep == "&":
			out[k-1].WriteString(cmd + " &\n")
		default:
			out[k-1].WriteString(cmd + "\n")
		}
	}
	scripts := make([]string, hosts)
	for i := range out {
		scripts[i] = out[i].String()
	}
	return scripts, nil
}

// onCommand reads `on K CMD` from a segment: the machine, the command,
// and whether the segment is one.
func onCommand(text string, hosts int) (int, string, bool, error) {
	fields := strings.Fields(text)
	if len(fields) == 0 || fields[0] != "on" {
		return 0, "", false, nil
	}
	if len(fields) < 2 {
		return 0, "", true, fmt.Errorf("on: want a machine number and a command: on K COMMAND")
	}
	k, err := strconv.Atoi(fields[1])
	if err != nil || k < 1 || k > hosts {
		return 0, "", true, fmt.Errorf("on %s: not a machine number from 1 to %d", fields[1], hosts)
	}
	rest := strings.TrimSpace(text)
	rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(rest, "on")), fields[1]))
	if rest == "" {
		return 0, "", true, fmt.Errorf("on %d: no command to run there", k)
	}
	return k, rest, true, nil
}

// segment is a top-level command of a script and the separator after it
// (";", "&", "\n" or "" at the end).
type segment struct{ text, sep string }

// Shell words that open and close a compound command at command position.
var (
	opens  = map[string]bool{"if": true, "for": true, "while": true, "until": true, "case": true, "{": true}
	closes = map[string]bool{"fi": true, "done": true, "esac": true, "}": true}
	// leads are the words after which a word is at command position again.
	leads = map[string]bool{"then": true, "do": true, "else": true, "elif": true, "if": true, "while": true, "until": true, "{": true, "!": true}
)

// segments cuts script at its top-level separators, reading quotes,
// escapes, comments and nesting as the shell does.
func segments(script string) []segment {
	sc := splitter{wordStart: -1, cmdPos: true}
	for i := 0; i < len(script); i++ {
		i = sc.step(script, i)
	}
	sc.endWord(script, len(script))
	if sc.start < len(script) {
		sc.out = append(sc.out, segment{script[sc.start:], ""})
	}
	return sc.out
}

// splitter is segments' state.
type splitter struct {
	out       []segment
	start     int // where the current segment began
	wordStart int // where the current word began; -1: none
	depth     int // compound commands and parentheses open
	cmdPos    bool
}

// step reads script[i] (and what it must read with it) and returns the
// index of the last byte it read.
func (s *splitter) step(script string, i int) int {
	c := script[i]
	switch {
	case c == '\\':
		s.begin(i)
		return i + 1
	case c == '\'':
		s.begin(i)
		return skipTo(script, i+1, '\'')
	case c == '"':
		s.begin(i)
		return skipDouble(script, i+1)
	case c == '#' && s.wordStart < 0:
		return skipTo(script, i+1, '\n') - 1 // the newline ends the command
	case c == ' ' || c == '\t':
		s.endWord(script, i)
	case c == '(' || c == ')':
		s.endWord(script, i)
		if c == '(' {
			s.depth++
		} else if s.depth > 0 {
			s.depth--
		}
		s.cmdPos = c == '('
	case c == ';' || c == '&' || c == '|' || c == '\n':
		s.endWord(script, i)
		return s.separator(script, i)
	default:
		s.begin(i)
	}
	return i
}

// begin starts a word at i unless one is under way.
func (s *splitter) begin(i int) {
	if s.wordStart < 0 {
		s.wordStart = i
	}
}

// endWord ends the word under way before i, counting the compound
// commands it opens or closes.
func (s *splitter) endWord(script string, i int) {
	if s.wordStart < 0 {
		return
	}
	w := script[s.wordStart:i]
	s.wordStart = -1
	if !s.cmdPos {
		return
	}
	switch {
	case opens[w]:
		s.depth++
	case closes[w] && s.depth > 0:
		s.depth--
	}
	s.cmdPos = leads[w]
}

// separator reads the operator at i: a top-level ";", lone "&" or new
// line ends a segment; "&&", "||", "|" and ";;" do not.
func (s *splitter) separator(script string, i int) int {
	c := script[i]
	double := i+1 < len(script) && script[i+1] == c && c != '\n'
	s.cmdPos = true
	if double || c == '|' || s.depth > 0 {
		if double {
			return i + 1
		}
		return i
	}
	s.out = append(s.out, segment{script[s.start:i], string(c)})
	s.start = i + 1
	return i
}

// skipTo returns the index of the first c at or after i (len(script) if
// none).
func skipTo(script string, i int, c byte) int {
	if j := strings.IndexByte(script[i:], c); j >= 0 {
		return i + j
	}
	return len(script)
}

// skipDouble returns the index of the quote that closes a double-quoted
// string starting at i, reading backslash escapes.
func skipDouble(script string, i int) int {
	for ; i < len(script); i++ {
		switch script[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(script)
}
