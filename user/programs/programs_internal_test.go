package programs

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSimplePrograms(t *testing.T) {
	var out bytes.Buffer
	reg := Registry(&out)
	for _, c := range []struct {
		path string
		argv []string
		code int
		out  string
	}{
		{"/bin/true", nil, 0, ""},
		{"/bin/false", nil, 1, ""},
		{"/bin/echo", []string{"echo", "a", "b"}, 0, "a b\n"},
		{"/bin/echo", []string{"echo", "-n", "a"}, 0, "a"},
		{"/bin/echo", nil, 0, "\n"},
		{"/bin/sleep", []string{"sleep"}, 1, "sleep: missing operand\n"},
		{"/bin/sleep", []string{"sleep", "soon"}, 1, "sleep: invalid time interval \"soon\"\n"},
		{"/bin/kill", []string{"kill"}, 1, "kill: usage: kill [-s SIGNAL | -SIGNAL] PID...\n"},
	} {
		out.Reset()
		prog, ok := reg[c.path]
		if !assert.True(t, ok, c.path) {
			continue
		}
		assert.Equal(t, c.code, prog(nil, c.argv, nil), "%s %v", c.path, c.argv)
		assert.Equal(t, c.out, out.String(), "%s %v", c.path, c.argv)
	}
	out.Reset()
	assert.Equal(t, 0, reg["/bin/kill"](nil, []string{"kill", "-l"}, nil))
	assert.Contains(t, out.String(), " 2) SIGINT ")
	assert.Contains(t, out.String(), "31) SIGSYS")
}
