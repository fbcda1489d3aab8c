package tty

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// feed types in through a discipline in mode and returns the echo, the
// signals raised, and what reads of up to n bytes return until none
// would ("" is end of file).
func feed(mode uint64, in string, n int) (echo string, sigs []linux.Signal, reads []string) {
	l := newLdisc()
	l.setMode(mode)
	var out []byte
	for i := 0; i < len(in); i++ {
		var sig linux.Signal
		out, sig = l.input(in[i], out)
		if sig != 0 {
			sigs = append(sigs, sig)
		}
	}
	for {
		data, ok := l.next(n)
		if !ok {
			break
		}
		reads = append(reads, string(data))
		l.advance(len(data))
	}
	return string(out), sigs, reads
}

func TestLineDiscipline(t *testing.T) {
	cooked := streamproto.ModeCooked
	long := strings.Repeat("a", 5000)
	for _, c := range []struct {
		name  string
		mode  uint64
		in    string
		n     int
		echo  string
		sigs  []linux.Signal
		reads []string
	}{
		{name: "a line", mode: cooked, in: "hi\n", echo: "hi\n", reads: []string{"hi\n"}},
		{name: "a partial line is not readable", mode: cooked, in: "hi", echo: "hi"},
		{name: "two lines are two reads", mode: cooked, in: "a\nb\n", echo: "a\nb\n", reads: []string{"a\n", "b\n"}},
		{name: "a short read takes the line in pieces", mode: cooked, in: "hello\nworld\n", n: 3, echo: "hello\nworld\n",
			reads: []string{"hel", "lo\n", "wor", "ld\n"}},
		{name: "DEL erases", mode: cooked, in: "hx\x7fi\n", echo: "hx\b \bi\n", reads: []string{"hi\n"}},
		{name: "^H erases", mode: cooked, in: "hx\x08i\n", echo: "hx\b \bi\n", reads: []string{"hi\n"}},
		{name: "erase on an empty line does nothing", mode: cooked, in: "\x7fa\n", echo: "a\n", reads: []string{"a\n"}},
		{name: "erase takes a whole UTF-8 character", mode: cooked, in: "aé\x7f\n", echo: "aé\b \b\n", reads: []string{"a\n"}},
		{name: "erase of a control character takes its two columns", mode: cooked, in: "\x01\x7f\n", echo: "^A\b \b\b \b\n", reads: []string{"\n"}},
		{name: "^U kills the line", mode: cooked, in: "abc\x15x\n", echo: "abc\b \b\b \b\b \bx\n", reads: []string{"x\n"}},
		{name: "^W erases a word and the blanks after it", mode: cooked, in: "ab cd  \x17x\n",
			echo: "ab cd  " + strings.Repeat("\b \b", 4) + "x\n", reads: []string{"ab x\n"}},
		{name: "^D on an empty line is end of file", mode: cooked, in: "\x04", reads: []string{""}},
		{name: "^D ends a read without a newline", mode: cooked, in: "ab\x04", echo: "ab", reads: []string{"ab"}},
		{name: "^D twice: the text, then end of file", mode: cooked, in: "ab\x04\x04", echo: "ab", reads: []string{"ab", ""}},
		{name: "CR is a newline", mode: cooked, in: "hi\r", echo: "hi\n", reads: []string{"hi\n"}},
		{name: "without ICRNL, CR is a character", mode: cooked &^ streamproto.ModeCRToNL, in: "hi\r\n", echo: "hi^M\n", reads: []string{"hi\r\n"}},
		{name: "control characters echo as ^X", mode: cooked, in: "a\x01\tb\n", echo: "a^A\tb\n", reads: []string{"a\x01\tb\n"}},
		{name: "^C flushes the line and raises SIGINT", mode: cooked, in: "abc\x03d\n", echo: "abc^C\nd\n",
			sigs: []linux.Signal{linux.SIGINT}, reads: []string{"d\n"}},
		{name: "^C flushes finished lines too", mode: cooked, in: "x\n\x03", echo: "x\n^C\n", sigs: []linux.Signal{linux.SIGINT}},
		{name: "^\\ raises SIGQUIT", mode: cooked, in: "\x1c", echo: "^\\\n", sigs: []linux.Signal{linux.SIGQUIT}},
		{name: "^Z raises SIGTSTP", mode: cooked, in: "\x1a", echo: "^Z\n", sigs: []linux.Signal{linux.SIGTSTP}},
		{name: "no echo", mode: streamproto.ModeCanonical, in: "ab\x7fc\n", reads: []string{"ac\n"}},
		{name: "without signals ^C is a character", mode: streamproto.ModeCanonical | streamproto.ModeEcho, in: "a\x03\n",
			echo: "a^C\n", reads: []string{"a\x03\n"}},
		{name: "raw: every byte as it comes, unseen and unchanged", mode: streamproto.ModeRaw, in: "a\x03\x7f\r\x04",
			reads: []string{"a\x03\x7f\r\x04"}},
		{name: "raw reads are limited by their size", mode: streamproto.ModeRaw, in: "abcde", n: 2, reads: []string{"ab", "cd", "e"}},
		{name: "cbreak: raw with echo and signals", mode: streamproto.ModeEcho | streamproto.ModeSignals, in: "ab\x03c",
			echo: "ab^C\nc", sigs: []linux.Signal{linux.SIGINT}, reads: []string{"c"}},
		{name: "a line longer than 4096 is cut", mode: streamproto.ModeCanonical, in: long + "\n",
			reads: []string{long[:maxLine-1] + "\n"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := c.n
			if n == 0 {
				n = 1 << 16
			}
			echo, sigs, reads := feed(c.mode, c.in, n)
			assert.Equal(t, c.echo, echo, "echo")
			assert.Equal(t, c.sigs, sigs, "signals")
			assert.Equal(t, c.reads, reads, "reads")
		})
	}
}

func TestLeavingCanonicalModeHandsOverTheLine(t *testing.T) {
	l := newLdisc()
	for _, b := range []byte("one\ntw") {
		l.input(b, nil)
	}
	l.setMode(streamproto.ModeRaw)
	data, ok := l.next(100)
	assert.True(t, ok)
	assert.Equal(t, "one\ntw", string(data), "the finished line and the partial one, as one raw record")
	l.advance(len(data))
	_, ok = l.next(100)
	assert.False(t, ok)
}

func TestFullQueueDropsInput(t *testing.T) {
	l := newLdisc()
	l.setMode(streamproto.ModeRaw)
	for i := 0; i < maxQueued+10; i++ {
		l.input('x', nil)
	}
	assert.Equal(t, int64(10), l.dropped)
	data, _ := l.next(maxQueued * 2)
	assert.Len(t, data, maxQueued)
}
