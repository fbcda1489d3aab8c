package programs

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"golang.org/x/sys/unix"
)

func TestParseInterval(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{in: "1", want: time.Second},
		{in: "0.5", want: 500 * time.Millisecond},
		{in: "2m", want: 2 * time.Minute},
		{in: "1d", want: 24 * time.Hour},
		{in: "10ms", want: 10 * time.Millisecond},
		{in: "3us", want: 3 * time.Microsecond},
		{in: "-1", bad: true},
		{in: "-1ms", bad: true},
		{in: "x", bad: true},
		{in: "", bad: true},
	} {
		got, err := parseInterval(c.in)
		if c.bad {
			assert.Error(t, err, "parseInterval(%q)", c.in)
			continue
		}
		if assert.NoError(t, err, "parseInterval(%q)", c.in) {
			assert.Equal(t, c.want, got, "parseInterval(%q)", c.in)
		}
	}
}

func TestKillArgs(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		sig  unix.Signal
		pids []int
		bad  bool
	}{
		{name: "default TERM", args: []string{"5"}, sig: unix.SIGTERM, pids: []int{5}},
		{name: "-9", args: []string{"-9", "5", "6"}, sig: unix.SIGKILL, pids: []int{5, 6}},
		{name: "-INT", args: []string{"-INT", "5"}, sig: unix.SIGINT, pids: []int{5}},
		{name: "-s sigusr1", args: []string{"-s", "sigusr1", "5"}, sig: unix.SIGUSR1, pids: []int{5}},
		{name: "group after --", args: []string{"--", "-7"}, sig: unix.SIGTERM, pids: []int{-7}},
		{name: "signal then group", args: []string{"-KILL", "--", "-7"}, sig: unix.SIGKILL, pids: []int{-7}},
		{name: "probe with 0", args: []string{"-0", "5"}, sig: 0, pids: []int{5}},
		{name: "-l", args: []string{"-l"}},
		{name: "no pid", args: []string{"-9"}, bad: true},
		{name: "bad signal", args: []string{"-NOPE", "5"}, bad: true},
		{name: "real-time signal", args: []string{"-40", "5"}, bad: true},
		{name: "bad pid", args: []string{"x"}, bad: true},
	} {
		sig, pids, err := killArgs(c.args)
		if c.bad {
			assert.Error(t, err, c.name)
			continue
		}
		if assert.NoError(t, err, c.name) {
			assert.Equal(t, c.sig, sig, c.name)
			assert.Equal(t, c.pids, pids, c.name)
		}
	}
}

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
