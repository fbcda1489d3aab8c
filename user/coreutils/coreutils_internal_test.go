package coreutils

import (
	"testing"
	"time"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/stretchr/testify/assert"
)

func TestOptions(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want map[byte]string
		rest []string
		bad  bool
	}{
		{"none", []string{"a", "-l"}, map[byte]string{}, []string{"a", "-l"}, false},
		{"cluster", []string{"-la", "x"}, map[byte]string{'l': "", 'a': ""}, []string{"x"}, false},
		{"value apart", []string{"-n", "5", "f"}, map[byte]string{'n': "5"}, []string{"f"}, false},
		{"value joined", []string{"-n5"}, map[byte]string{'n': "5"}, nil, false},
		{"double dash", []string{"--", "-l"}, map[byte]string{}, []string{"-l"}, false},
		{"dash is an argument", []string{"-", "-l"}, map[byte]string{}, []string{"-", "-l"}, false},
		{"unknown", []string{"-z"}, nil, nil, true},
		{"missing value", []string{"-n"}, nil, nil, true},
	} {
		got, rest, err := options(c.args, "lan:")
		if c.bad {
			assert.Error(t, err, c.name)
			continue
		}
		if len(rest) == 0 {
			rest = nil
		}
		if assert.NoError(t, err, c.name) {
			assert.Equal(t, c.want, got, c.name)
			assert.Equal(t, c.rest, rest, c.name)
		}
	}
}

func TestKillArgs(t *testing.T) {
	sig, pids, err := KillArgs([]string{"-KILL", "--", "-7", "3"})
	assert.NoError(t, err)
	assert.Equal(t, linux.SIGKILL, sig)
	assert.Equal(t, []int{-7, 3}, pids)
	sig, pids, err = KillArgs([]string{"-s", "usr1", "4"})
	assert.NoError(t, err)
	assert.Equal(t, linux.SIGUSR1, sig)
	assert.Equal(t, []int{4}, pids)
	_, _, err = KillArgs([]string{"-40", "5"})
	assert.ErrorContains(t, err, "invalid signal")
	_, _, err = KillArgs([]string{"x"})
	assert.ErrorContains(t, err, "must be process or job IDs")
}

func TestParseInterval(t *testing.T) {
	for in, want := range map[string]time.Duration{"1": time.Second, "0.5": 500 * time.Millisecond,
		"2m": 2 * time.Minute, "10ms": 10 * time.Millisecond} {
		got, err := ParseInterval(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, "ParseInterval(%q)", in)
		}
	}
	for _, bad := range []string{"-1", "x", ""} {
		_, err := ParseInterval(bad)
		assert.Error(t, err, "ParseInterval(%q)", bad)
	}
}

func TestModeString(t *testing.T) {
	assert.Equal(t, "drwxr-xr-x", ModeString(linux.S_IFDIR|0o755))
	assert.Equal(t, "-rw-------", ModeString(linux.S_IFREG|0o600))
	assert.Equal(t, "lrwxrwxrwx", ModeString(linux.S_IFLNK|0o777))
	assert.Equal(t, "crw-rw-rw-", ModeString(linux.S_IFCHR|0o666))
	assert.Equal(t, "drwxrwxrwt", ModeString(linux.S_IFDIR|0o1777))
	assert.Equal(t, "-rwsr-Sr-T", ModeString(linux.S_IFREG|0o7744))
}

// Every utility is in /bin, and nothing else is.
func TestProgramsAreInBin(t *testing.T) {
	progs := Programs()
	assert.Len(t, progs, len(Names()))
	for _, n := range Names() {
		assert.Contains(t, progs, "/bin/"+n)
	}
	assert.Equal(t, "c", base("/a/b/c/"))
	assert.Equal(t, "/", base("/"))
	assert.Equal(t, int64(50), percent(1, 2))
}

func TestParseMode(t *testing.T) {
	for _, c := range []struct {
		mode string
		old  uint32
		want uint32
		bad  bool
	}{
		{"755", 0o644, 0o755, false},
		{"1777", 0, 0o1777, false},
		{"u+x", 0o644, 0o744, false},
		{"go-w", 0o666, 0o644, false},
		{"a=r", 0o755, 0o444, false},
		{"+x", 0o644, 0o755, false},
		{"u=rwx,g=rx,o=", 0o777, 0o750, false},
		{"+t", 0o777, 0o1777, false},
		{"u+s", 0o755, 0o4755, false},
		{"o-t", 0o1777, 0o777, false},
		{"10000", 0, 0, true},
		{"u+q", 0, 0, true},
		{"x", 0, 0, true},
		{"", 0, 0, true},
	} {
		t.Run(c.mode, func(t *testing.T) {
			got, err := ParseMode(c.mode, c.old)
			if c.bad {
				assert.Error(t, err, "ParseMode(%q, %#o)", c.mode, c.old)
				return
			}
			assert.NoError(t, err)
			assert.Equal(t, c.want, got, "ParseMode(%q, %#o) = %#o, want %#o", c.mode, c.old, got, c.want)
		})
	}
}

// Every utility has a line in help's Summaries, and every summary names a
// program.
func TestSummaries(t *testing.T) {
	for _, name := range Names() {
		assert.NotEmpty(t, Summaries[name], "Summaries[%q]", name)
	}
	others := map[string]bool{"sh": true, "svc": true, "crash": true, "init": true}
	for name := range Summaries {
		_, ok := utilities[name]
		assert.True(t, ok || others[name], "Summaries[%q] names no program", name)
	}
}

func TestUtilityHelpers(t *testing.T) {
	for _, c := range []struct {
		name, list string
		in         []int
		out        []int
		ok         bool
	}{
		{"single", "2", []int{2}, []int{1, 3}, true},
		{"range", "2-3", []int{2, 3}, []int{1, 4}, true},
		{"open end", "3-", []int{3, 100}, []int{2}, true},
		{"open start", "-2", []int{1, 2}, []int{3}, true},
		{"zero", "0", nil, nil, false},
		{"backwards", "3-1", nil, nil, false},
		{"empty", "", nil, nil, false},
	} {
		sel, ok := parseRanges(c.list)
		if !assert.Equal(t, c.ok, ok, "%s: parseRanges(%q) ok", c.name, c.list) || !ok {
			continue
		}
		for _, i := range c.in {
			assert.True(t, sel(i), "%s: %d in %q", c.name, i, c.list)
		}
		for _, i := range c.out {
			assert.False(t, sel(i), "%s: %d not in %q", c.name, i, c.list)
		}
	}
	assert.Equal(t, "abcxyz", string(expandSet("a-cx-z")), "expandSet ranges")
	assert.Equal(t, "0123456789", string(expandSet("[:digit:]")), "expandSet class")
	assert.Equal(t, "a\n", string(expandSet(`a\n`)), "expandSet escape")
	assert.Equal(t, []edit{{' ', "a", 1, 1}, {'-', "b", 2, 1}, {'+', "c", 2, 2}}, lcsDiff([]string{"a", "b"}, []string{"a", "c"}), "lcsDiff")
}
