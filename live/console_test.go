package live_test

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/live"
)

func TestConsoleLines(t *testing.T) {
	tests := []struct {
		name, screen string
		n            int
		want         []string
	}{
		{"lines", "a\nb\nc", 10, []string{"a", "b", "c"}},
		{"the last n", "a\nb\nc\n", 2, []string{"c", ""}},
		{"backspace erases", "$ lx\b \bs /\n", 5, []string{"$ ls /", ""}},
		{"carriage return rewrites", "12345\rab\n", 5, []string{"ab345", ""}},
		{"escapes dropped", "\x1b[1mbold\x1b[0m\n", 5, []string{"bold", ""}},
		{"controls dropped", "a\x07b\n", 5, []string{"ab", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := live.NewConsole()
			_, err := c.Write([]byte(tc.screen))
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.Lines(tc.n), "Lines(%d)", tc.n)
		})
	}
}

func TestConsoleFansOutAndKeepsScrollback(t *testing.T) {
	c := live.NewConsole()
	c.Write([]byte("before\n"))
	screen, ch := c.Attach()
	assert.Equal(t, "before\n", string(screen))
	c.Write([]byte("after\n"))
	assert.Equal(t, "after\n", string(<-ch))
	c.Detach(ch)
	big := make([]byte, live.Scrollback+10)
	for i := range big {
		big[i] = 'x'
	}
	c.Write(big)
	assert.Len(t, c.Screen(), live.Scrollback, "the screen kept")
}

func TestConsoleTypesAtTheKeyboard(t *testing.T) {
	c := live.NewConsole()
	go func() { c.Type([]byte("ls /\r")); c.Close() }()
	b, err := io.ReadAll(c.In)
	require.NoError(t, err)
	assert.Equal(t, "ls /\r", string(b))
}
