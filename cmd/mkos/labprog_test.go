package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// /bin/mkos runs the labs' commands inside a booted system and prints
// what the host's mkos prints for the same flags; the host's other
// commands and host files are refused with a reason.
func TestLabProgramInsideTheSystem(t *testing.T) {
	for _, c := range []struct {
		name    string
		args    []string // the lab command, run on the host and inside
		refused string   // inside: the error it says ("" for none)
	}{
		{"sched", []string{"sched", "-l", "5,10", "-c"}, ""},
		{"sched mlfq", []string{"sched", "mlfq", "-l", "0,20,0:0,20,0", "-c"}, ""},
		{"vm", []string{"vm", "--policy", "lru", "--frames", "2", "--refs", "0,1,2,0,1"}, ""},
		{"ostep", []string{"ostep", "relocation", "-s", "1", "-c"}, ""},
		{"ostep list", []string{"ostep"}, ""},
		{"a host file", []string{"vm", "--trace", "/tmp/t", "--refs", "1"}, "--trace names a file of the host"},
		{"a whole system", []string{"run"}, "run: not inside the system"},
		{"ostep ffs's command file", []string{"ostep", "ffs", "-f", "/etc/passwd"}, "ostep ffs -f names a file of the host"},
		{"ostep ffs's command file, bundled", []string{"ostep", "ffs", "-Tf", "/etc/passwd"}, "ostep ffs -f names a file of the host"},
		{"a negative count", []string{"sched", "-j", "-1"}, "must not be negative"},
	} {
		t.Run(c.name, func(t *testing.T) {
			script := "mkos " + strings.Join(c.args, " ") + "; echo status $?"
			out, errOut, err := mkos(t, "run", "-c", script)
			require.NoError(t, err, "mkos run -c %q: %s", script, errOut)
			if c.refused != "" {
				assert.Contains(t, errOut, c.refused, "mkos run -c %q: the error", script)
				assert.Contains(t, out, "status 1", "mkos run -c %q: the status", script)
				return
			}
			host, _, err := mkos(t, c.args...)
			require.NoError(t, err, "mkos %s on the host", strings.Join(c.args, " "))
			assert.Equal(t, host+"status 0\n", out, "inside the system, mkos %s", strings.Join(c.args, " "))
		})
	}
}

// help and ls /bin show /bin/mkos.
func TestLabProgramIsListed(t *testing.T) {
	out, _, err := mkos(t, "run", "-c", "ls /bin | grep '^mkos$'; help | grep -c 'mkos '")
	require.NoError(t, err)
	assert.Equal(t, "mkos\n1\n", out, "ls /bin and help")
}

// /bin/mkos's write errors name the file, as the coreutils' do.
func TestLabProgramWriteError(t *testing.T) {
	out, errOut, err := mkos(t, "run", "-c", "mkos sched -l 5 -c > /dev/full; echo status $?")
	require.NoError(t, err)
	assert.Equal(t, "status 1\n", out, "mkos sched > /dev/full: the status")
	assert.Contains(t, errOut, "mkos: write error: /dev/full: no space left on device")
}
