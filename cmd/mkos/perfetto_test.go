package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/internal/traceevent"
)

// The Perfetto export of a trace from every command that writes one —
// the labs, the shell, a two-CPU run with a crash and a disk (events come
// per CPU, not in one order of time) — is valid trace-event format.
func TestPerfettoOfEveryCommand(t *testing.T) {
	dir := t.TempDir()
	for i, args := range [][]string{
		{"sched", "-l", "3,5,2", "-p", "RR", "-c"},
		{"sched", "mlfq", "-l", "0,20,5:0,10,0", "-c"},
		{"vm", "--refs", "1,2,3,1,4"},
		{"run", "-c", "echo hi | cat; ls / | wc -l; crash fs; cat /etc/passwd > /dev/null"},
		{"run", "--cpus", "2", "--crash-at", "3", "--disk", filepath.Join(dir, "d.img")},
	} {
		p := filepath.Join(dir, "t.jsonl")
		_, _, err := mkos(t, append(args, "--trace", p)...)
		require.NoError(t, err, "mkos %s", strings.Join(args, " "))
		out, _, err := mkos(t, "trace", p, "--format", "perfetto")
		require.NoError(t, err)
		bad := traceevent.Check([]byte(out))
		assert.Empty(t, bad, "case %d, mkos %s: traceevent.Check()", i, strings.Join(args, " "))
		assert.Contains(t, out, `"ph":"X"`, "slices")
	}
}
