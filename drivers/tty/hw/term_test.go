package hw

import (
	"bytes"
	"testing"
)

func TestRawOutput(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"no newline", "abc", "abc"},
		{"newlines", "a\nb\n", "a\r\nb\r\n"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := RawOutput(&buf).Write([]byte(c.in))
			if err != nil || n != len(c.in) {
				t.Errorf("Write() = %d, %v, want %d, nil", n, err, len(c.in))
			}
			if buf.String() != c.want {
				t.Errorf("Write() wrote %q, want %q", buf.String(), c.want)
			}
		})
	}
}

func TestIsTerminalOfPipe(t *testing.T) {
	if IsTerminal(-1) {
		t.Errorf("IsTerminal(-1) = true, want false")
	}
}
