package tty

import (
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// The line discipline. LECTURE: line-discipline
//
// Between the keyboard and the programs that read the console sits the
// line discipline: a pure state machine that takes typed bytes one at a
// time (input) and says what to echo and which signal to send, and hands
// readers their input (next, advance). It does no I/O; the driver moves
// the bytes. Its modes are streamproto's Mode bits, a small termios:
//
//   - canonical: the line being typed is edited in place — erase (DEL or
//     ^H) takes back a character, ^W a word, ^U the whole line — and only
//     a newline or ^D hands it to readers, as a record; a read returns at
//     most one record. ^D on an empty line makes an empty record: a read
//     of it returns 0, end of file, once.
//   - raw (not canonical): every byte is for readers as it arrives.
//   - echo: typed bytes are shown, control characters as ^X; erasing
//     shows as backspace-space-backspace.
//   - signals: ^C, ^\ and ^Z flush the input and raise SIGINT, SIGQUIT or
//     SIGTSTP for the foreground process group.

// The control characters the discipline knows (Linux's defaults).
const (
	keyIntr   = 0x03 // ^C
	keyEOF    = 0x04 // ^D
	keyBS     = 0x08 // ^H
	keyKill   = 0x15 // ^U
	keyWerase = 0x17 // ^W
	keySusp   = 0x1a // ^Z
	keyQuit   = 0x1c // ^\
	keyDEL    = 0x7f
)

// Limits of the discipline's buffers.
const (
	// maxLine is the longest line being edited (Linux's 4095 and the
	// newline); further characters are dropped until a newline.
	maxLine = 4096
	// maxQueued bounds the bytes waiting for readers; input beyond it is
	// dropped, as a full terminal buffer does.
	maxQueued = 64 << 10
)

// ldisc is the line discipline's state.
type ldisc struct {
	mode   uint64
	line   []byte   // canonical: the line being edited
	ready  [][]byte // the records readers may take, oldest first; raw: one
	queued int      // bytes in ready
	// dropped counts typed bytes thrown away because a buffer was full.
	dropped int64
}

func newLdisc() *ldisc { return &ldisc{mode: streamproto.ModeCooked} }

func (l *ldisc) canonical() bool { return l.mode&streamproto.ModeCanonical != 0 }

// input takes one typed byte. It appends what to echo to echo and returns
// it, with the signal to raise (0 for none).
func (l *ldisc) input(b byte, echo []byte) ([]byte, linux.Signal) {
	if b == '\r' && l.mode&streamproto.ModeCRToNL != 0 {
		b = '\n'
	}
	if l.mode&streamproto.ModeSignals != 0 {
		if sig := signalOf(b); sig != 0 {
			l.flush()
			if l.mode&streamproto.ModeEcho != 0 {
				echo = append(ctl(echo, b), '\n')
			}
			return echo, sig
		}
	}
	if !l.canonical() {
		if l.queue([]byte{b}) {
			echo = l.echo(echo, b)
		}
		return echo, 0
	}
	return l.edit(b, echo), 0
}

// signalOf returns the signal a key raises.
func signalOf(b byte) linux.Signal {
	switch b {
	case keyIntr:
		return linux.SIGINT
	case keyQuit:
		return linux.SIGQUIT
	case keySusp:
		return linux.SIGTSTP
	}
	return 0
}

// edit takes one byte in canonical mode.
func (l *ldisc) edit(b byte, echo []byte) []byte {
	switch b {
	case keyDEL, keyBS:
		return l.erase(echo, 1)
	case keyWerase:
		return l.erase(echo, l.wordLen())
	case keyKill:
		return l.erase(echo, len(l.line))
	case keyEOF:
		l.finish()
		return echo
	case '\n':
		l.line = append(l.line, b)
		l.finish()
		return l.echo(echo, b)
	}
	if len(l.line) >= maxLine-1 {
		l.dropped++
		return echo
	}
	l.line = append(l.line, b)
	return l.echo(echo, b)
}

// finish hands the edited line to readers as one record.
func (l *ldisc) finish() {
	line := l.line
	l.line = nil
	if !l.queue(line) {
		return
	}
	if len(line) == 0 {
		l.ready = append(l.ready, []byte{}) // ^D on an empty line: end of file
	}
}

// queue appends b to the records readers may take: a new record in
// canonical mode, the one raw record otherwise. It reports false when b
// was dropped because the queue is full.
func (l *ldisc) queue(b []byte) bool {
	if l.queued+len(b) > maxQueued {
		l.dropped += int64(len(b))
		return false
	}
	l.queued += len(b)
	switch {
	case len(b) == 0:
	case l.canonical() || len(l.ready) == 0:
		l.ready = append(l.ready, append([]byte(nil), b...))
	default:
		last := len(l.ready) - 1
		l.ready[last] = append(l.ready[last], b...)
	}
	return true
}

// erase takes back n characters of the line (a UTF-8 sequence is one
// character), echoing the erasure.
func (l *ldisc) erase(echo []byte, n int) []byte {
	for ; n > 0 && len(l.line) > 0; n-- {
		i := len(l.line) - 1
		for i > 0 && l.line[i]&0xc0 == 0x80 {
			i-- // a continuation byte: erase back to the lead byte
		}
		c := l.line[i]
		l.line = l.line[:i]
		if l.mode&streamproto.ModeEcho == 0 {
			continue
		}
		echo = append(echo, "\b \b"...)
		if isCtl(c) {
			echo = append(echo, "\b \b"...) // it showed as ^X: two columns
		}
	}
	return echo
}

// wordLen is the number of characters ^W erases: the spaces at the end of
// the line and the word before them.
func (l *ldisc) wordLen() int {
	n, i := 0, len(l.line)
	for i > 0 && (l.line[i-1] == ' ' || l.line[i-1] == '\t') {
		i--
		n++
	}
	for i > 0 && l.line[i-1] != ' ' && l.line[i-1] != '\t' {
		if l.line[i-1]&0xc0 != 0x80 {
			n++
		}
		i--
	}
	return n
}

// echo shows typed byte b when echo is on.
func (l *ldisc) echo(echo []byte, b byte) []byte {
	if l.mode&streamproto.ModeEcho == 0 {
		return echo
	}
	if isCtl(b) {
		return ctl(echo, b)
	}
	return append(echo, b)
}

// isCtl reports whether b echoes as ^X: a control character other than
// tab and newline.
func isCtl(b byte) bool { return b < 0x20 && b != '\t' && b != '\n' }

// ctl renders control character b as ^X.
func ctl(echo []byte, b byte) []byte { return append(echo, '^', b^0x40) }

// flush throws away the line being edited and everything queued, as a
// signal key does.
func (l *ldisc) flush() {
	l.line, l.ready, l.queued = nil, nil, 0
}

// readable reports whether a read would return now.
func (l *ldisc) readable() bool { return len(l.ready) > 0 }

// next returns what a read of up to n bytes gets, without taking it: the
// head of the oldest record. An empty slice with ok is end of file.
func (l *ldisc) next(n int) (data []byte, ok bool) {
	if len(l.ready) == 0 {
		return nil, false
	}
	r := l.ready[0]
	return r[:min(n, len(r))], true
}

// advance takes the k bytes next returned; the record goes when it is
// used up (an end-of-file record when it is read).
func (l *ldisc) advance(k int) {
	r := l.ready[0][k:]
	l.queued -= k
	if len(r) == 0 {
		l.ready = l.ready[1:]
		return
	}
	l.ready[0] = r
}

// setMode switches to mode m. Leaving canonical mode hands the line being
// edited to readers; entering it, what is queued stays one record.
func (l *ldisc) setMode(m uint64) {
	wasCanon := l.canonical()
	l.mode = m
	if wasCanon && !l.canonical() {
		var all []byte
		for _, r := range l.ready {
			all = append(all, r...)
		}
		all = append(all, l.line...)
		l.line, l.ready, l.queued = nil, nil, 0
		l.queue(all)
	}
}
