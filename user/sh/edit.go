package sh

import (
	"errors"
	"io"
	"strings"

	"github.com/mkos/mkos/ipc/streamproto"
)

// Line editing and history on a terminal. While the shell reads a
// command it puts the console in raw mode (keeping ^C and ^Z's signals)
// and edits the line itself; the commands it runs get the console back
// as it was (cooked). The keys, as in emacs mode of other shells:
//
//	← → ^B ^F          move a character        ^A Home, ^E End  line ends
//	↑ ↓ ^P ^N          the previous, next line of history
//	DEL ^H             erase before the cursor ^D  erase under it (end of
//	                                           input on an empty line)
//	^U ^K ^W           erase to the start, to the end, the word before
//	^R                 search the history backwards for what is typed next
//	^L                 redraw                  Enter  run the line
//
// Any other escape sequence is dropped, never inserted.

// editor is the line editor's state: the history and the console mode to
// restore.
type editor struct {
	s       *Shell
	history []string
	cooked  uint64
	in      []byte // bytes read and not yet used
}

// maxHistory bounds the history kept.
const maxHistory = 500

// newEditor returns an editor if descriptor 0 is a console that can go
// raw, else nil.
func newEditor(s *Shell) *editor {
	mode, err := s.p.Ioctl(0, streamproto.IoctlGetMode, 0)
	if err != nil {
		return nil
	}
	return &editor{s: s, cooked: mode}
}

// key reads one byte; io.EOF at the end of the input, EINTR on ^C.
func (e *editor) key() (byte, error) {
	if len(e.in) == 0 {
		buf := make([]byte, 64)
		n, err := e.s.p.Read(0, buf)
		if n == 0 && err == nil {
			err = io.EOF
		}
		if n == 0 {
			return 0, err
		}
		e.in = buf[:n]
	}
	b := e.in[0]
	e.in = e.in[1:]
	return b, nil
}

// lineState is the line being edited and the cursor in it.
type lineState struct {
	buf    []byte
	cur    int
	prompt string
}

// readLine edits one line after prompt and returns it with its new line.
func (e *editor) readLine(prompt string) (string, error) {
	raw := (e.cooked &^ (streamproto.ModeCanonical | streamproto.ModeEcho)) | streamproto.ModeSignals
	if _, err := e.s.p.Ioctl(0, streamproto.IoctlSetMode, raw); err != nil {
		return "", err
	}
	defer func() { _, _ = e.s.p.Ioctl(0, streamproto.IoctlSetMode, e.cooked) }()
	l := &lineState{prompt: prompt}
	e.s.p.Fprintf(2, "%s", prompt)
	hist := len(e.history)
	saved := ""
	for {
		b, err := e.key()
		if err != nil {
			if errors.Is(err, io.EOF) && len(l.buf) > 0 {
				return e.accept(l), nil
			}
			return "", err
		}
		switch b {
		case '\r', '\n':
			return e.accept(l), nil
		case 0x04: // ^D
			if len(l.buf) == 0 {
				return "", io.EOF
			}
			l.erase(l.cur, l.cur+1)
		case 0x7f, 0x08:
			if l.cur == len(l.buf) && l.cur > 0 {
				l.erase(l.cur-1, l.cur)
				e.s.p.Fprintf(2, "\b \b") // as the console's own erase shows
				continue
			}
			l.erase(l.cur-1, l.cur)
		case 0x01:
			l.cur = 0
		case 0x05:
			l.cur = len(l.buf)
		case 0x02:
			l.cur = max(0, l.cur-1)
		case 0x06:
			l.cur = min(len(l.buf), l.cur+1)
		case 0x15:
			l.erase(0, l.cur)
		case 0x0b:
			l.erase(l.cur, len(l.buf))
		case 0x17:
			l.erase(wordStart(l.buf, l.cur), l.cur)
		case 0x10, 0x0e:
			hist, saved = e.recall(l, hist, saved, b == 0x10)
		case 0x12:
			e.search(l)
		case 0x0c:
		case 0x1b:
			hist, saved = e.escape(l, hist, saved)
		default:
			if b < 0x20 {
				continue
			}
			l.buf = append(l.buf[:l.cur], append([]byte{b}, l.buf[l.cur:]...)...)
			l.cur++
			if l.cur == len(l.buf) {
				e.s.p.Fprintf(2, "%c", b) // typing at the end: an echo is enough
				continue
			}
		}
		e.redraw(l)
	}
}

// accept ends the edit: the line goes into the history.
func (e *editor) accept(l *lineState) string {
	e.s.p.Fprintf(2, "\n")
	line := string(l.buf)
	if strings.TrimSpace(line) != "" && (len(e.history) == 0 || e.history[len(e.history)-1] != line) {
		e.history = append(e.history, line)
		if len(e.history) > maxHistory {
			e.history = e.history[1:]
		}
	}
	return line + "\n"
}

// escape handles an escape sequence: arrows, Home, End, Delete.
func (e *editor) escape(l *lineState, hist int, saved string) (int, string) {
	b, err := e.key()
	if err != nil || b != '[' && b != 'O' {
		return hist, saved
	}
	var seq []byte
	for {
		c, err := e.key()
		if err != nil {
			return hist, saved
		}
		seq = append(seq, c)
		if c >= 0x40 && c <= 0x7e {
			break
		}
	}
	switch string(seq) {
	case "A":
		return e.recall(l, hist, saved, true)
	case "B":
		return e.recall(l, hist, saved, false)
	case "C":
		l.cur = min(len(l.buf), l.cur+1)
	case "D":
		l.cur = max(0, l.cur-1)
	case "H", "1~":
		l.cur = 0
	case "F", "4~":
		l.cur = len(l.buf)
	case "3~":
		l.erase(l.cur, l.cur+1)
	}
	return hist, saved
}

// recall replaces the line with the previous (or next) history entry;
// saved keeps what was being typed.
func (e *editor) recall(l *lineState, hist int, saved string, back bool) (int, string) {
	if hist == len(e.history) {
		saved = string(l.buf)
	}
	switch {
	case back && hist > 0:
		hist--
	case !back && hist < len(e.history):
		hist++
	default:
		return hist, saved
	}
	text := saved
	if hist < len(e.history) {
		text = e.history[hist]
	}
	l.buf, l.cur = []byte(text), len(text)
	return hist, saved
}

// search is ^R: each key typed narrows a backward search of the history;
// Enter or an editing key takes the match, ^G or ^C gives up.
func (e *editor) search(l *lineState) {
	var pattern []byte
	match := ""
	for {
		e.s.p.Fprintf(2, "\r\x1b[K(reverse-i-search)'%s': %s", pattern, match)
		b, err := e.key()
		if err != nil || b == 0x07 {
			return
		}
		switch {
		case b == 0x7f || b == 0x08:
			if len(pattern) > 0 {
				pattern = pattern[:len(pattern)-1]
			}
		case b >= 0x20:
			pattern = append(pattern, b)
		default:
			if match != "" {
				l.buf, l.cur = []byte(match), len(match)
			}
			if b == '\r' || b == '\n' {
				e.in = append([]byte{'\n'}, e.in...)
			}
			return
		}
		match = ""
		for i := len(e.history) - 1; i >= 0 && len(pattern) > 0; i-- {
			if strings.Contains(e.history[i], string(pattern)) {
				match = e.history[i]
				break
			}
		}
	}
}

// redraw shows the prompt and the line, the cursor in place.
func (e *editor) redraw(l *lineState) {
	back := ""
	if n := len(l.buf) - l.cur; n > 0 {
		back = "\x1b[" + itoa(n) + "D"
	}
	e.s.p.Fprintf(2, "\r\x1b[K%s%s%s", l.prompt, l.buf, back)
}

// erase removes buf[from:to] (clipped) and puts the cursor at from.
func (l *lineState) erase(from, to int) {
	from, to = max(0, from), min(len(l.buf), to)
	if from >= to {
		return
	}
	l.buf = append(l.buf[:from], l.buf[to:]...)
	l.cur = from
}

// wordStart is where the word before cur starts (blanks before it too).
func wordStart(buf []byte, cur int) int {
	i := cur
	for i > 0 && buf[i-1] == ' ' {
		i--
	}
	for i > 0 && buf[i-1] != ' ' {
		i--
	}
	return i
}

// itoa is strconv.Itoa for small numbers.
func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
