package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every bad value, and every flag the run would ignore, is an error that
// says why, before anything runs.
func TestFlagsRefused(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "new.img")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"negative max-time", []string{"run", "--max-time", "-1s"}, "--max-time -1s: must not be negative"},
		{"negative benchtime", []string{"bench", "--benchtime", "-1s"}, "--benchtime -1s: must not be negative"},
		{"negative compute", []string{"bench", "--compute", "-5us"}, "--compute -5µs: must not be negative"},
		{"negative gap", []string{"faults", "--gap", "-1s"}, "--gap -1s: must not be negative"},
		{"negative slow", []string{"faults", "--slow", "-1s"}, "--slow -1s: must not be negative"},
		{"negative parallel", []string{"faults", "--parallel", "-3"}, "--parallel -3: must not be negative"},
		{"negative maxlen", []string{"sched", "-m", "-1"}, "-m (--maxlen) -1: must not be negative"},
		{"negative inodes", []string{"mkfs", img, "--inodes", "-1"}, "--inodes -1: must not be negative"},
		{"too many inodes", []string{"mkfs", img, "--size", "16MiB", "--inodes", "100000"}, "has 1 to 4096"},
		{"size too big", []string{"mkfs", img, "--size", "2TiB"}, "more than 1TiB"},
		{"fs too big", []string{"mkfs", img, "--size", "32GiB"}, "1024 KiB to 16 GiB"},
		{"page range too long", []string{"vm", "translate", "--task-pages", "1-100000", "0x1000"}, "a range has at most 65536"},
		{"empty workload", []string{"bench", "--workload", ""}, `--workload "": name a workload`},
		{"csv and json", []string{"bench", "--csv", "--json"}, "--json and --csv: give only one of them"},
		{"clients with -c", []string{"run", "-c", "true", "--clients", "2"}, "--clients shapes the workload"},
		{"crash-at with -c", []string{"run", "-c", "true", "--crash-at", "2"}, "--crash-at shapes the workload"},
		{"console-input with the demo", []string{"run", "--console-input", "x"}, "the demo workload never reads it"},
		{"user with the demo", []string{"run", "--user", "user"}, "use it with -c"},
		{"data-dir without ds", []string{"run", "--data-dir", dir}, "no ds server"},
		{"ds-redis without ds", []string{"run", "--ds-redis", "127.0.0.1:1"}, "--ds-redis keeps the data store's data, and this system has no ds server"},
		{"no-pi with the demo", []string{"run", "--no-pi"}, "use it with --workload pathfinder"},
		{"no-pi with -c", []string{"run", "--no-pi", "-c", "true"}, "use it with --workload pathfinder"},
		{"clients with the pathfinder", []string{"run", "--workload", "pathfinder", "--clients", "2"}, "not the pathfinder"},
		{"pathfinder under rr", []string{"run", "--workload", "pathfinder", "--policy", "rr"}, "needs policy: prio"},
		{"unknown workload", []string{"run", "--workload", "bogus"}, `kind "bogus" is not one of demo, pathfinder`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := mkos(t, c.args...)
			require.Error(t, err, "mkos %s", strings.Join(c.args, " "))
			assert.Contains(t, err.Error(), c.want)
		})
	}
	_, err := os.Stat(img)
	assert.True(t, os.IsNotExist(err), "a failed mkfs leaves no file behind: Stat() = %v", err)
}

// Help shows no placeholder defaults; --version is `mkos version`.
func TestHelpAndVersion(t *testing.T) {
	help, _, err := mkos(t, "run", "--help")
	require.NoError(t, err)
	assert.NotContains(t, help, "(default -1)")
	v1, _, err := mkos(t, "version")
	require.NoError(t, err)
	v2, _, err := mkos(t, "--version")
	require.NoError(t, err)
	assert.Equal(t, v1, v2)
	assert.True(t, strings.HasPrefix(v2, "mkos "), v2)
}

// --console-input types at the console, where -c's shell now runs.
func TestRunCommandsOnConsole(t *testing.T) {
	out, _, err := mkos(t, "run", "--console-input", "typed\n", "-c", "cat; echo done")
	require.NoError(t, err)
	assert.Contains(t, out, "typed\n")
	assert.True(t, strings.HasSuffix(out, "done\n"), out)
}

// `mkos shell FILE` runs the file as a script, with its status.
func TestShellScriptFile(t *testing.T) {
	script := filepath.Join(t.TempDir(), "s.sh")
	require.NoError(t, os.WriteFile(script, []byte("echo one\necho two | wc -c\nexit 4\n"), 0o644))
	out, _, err := mkos(t, "shell", script)
	assert.Equal(t, exitStatus(4), err)
	assert.Equal(t, "one\n4\n", out, "no prompts, no echo: a script's output")

	require.NoError(t, os.WriteFile(script, []byte("echo $0 $1 $2\n"), 0o644))
	out, _, err = mkos(t, "shell", script, "a", "b")
	require.NoError(t, err)
	assert.Equal(t, script+" a b\n", out, "the script's arguments")
}

// --trace writes a trace and --json a summary for every command that runs
// the simulator.
func TestTraceAndJSONEverywhere(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		json bool // stdout ends with a JSON object
	}{
		{"run", []string{"run", "--clients", "1", "--calls", "1", "--json"}, true},
		{"run -c", []string{"run", "-c", "echo hi", "--json"}, true},
		{"shell", []string{"shell", "--json"}, true},
		{"sched", []string{"sched", "-l", "3,2", "--json"}, true},
		{"sched without -c", []string{"sched", "-l", "3,2"}, false},
		{"vm", []string{"vm", "--json"}, true},
		{"vm translate", []string{"vm", "translate", "--task-pages", "1", "0x1000", "--json"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".jsonl")
			out, _, err := mkos(t, append(c.args, "--trace", path)...)
			require.NoError(t, err)
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Greater(t, strings.Count(string(b), "\n"), 3, "the trace has events")
			rendered, _, err := mkos(t, "trace", path)
			require.NoError(t, err, "mkos trace reads it")
			assert.NotEmpty(t, rendered)
			if c.json {
				i := strings.Index(out, "{")
				require.GreaterOrEqual(t, i, 0, "a JSON object in %q", out)
				assert.True(t, json.Valid([]byte(out[i:])), "the output ends with valid JSON: %s", out[i:])
			}
		})
	}
}

// `mkos trace` shows a truncated trace up to the damage, and says where.
func TestTraceReadsUpToTheDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.jsonl")
	_, _, err := mkos(t, "run", "--clients", "1", "--calls", "1", "--trace", path)
	require.NoError(t, err)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	cut := len(b) / 2
	if b[cut-1] == '\n' {
		cut++ // in the middle of a line
	}
	require.NoError(t, os.WriteFile(path, b[:cut], 0o644))
	out, errOut, err := mkos(t, "trace", path)
	require.NoError(t, err)
	assert.Contains(t, errOut, "unexpected end of JSON input: showing the ")
	assert.Contains(t, out, "spawn")
}

// --no-pi makes a difference: the pathfinder's high-priority task waits
// behind the hog without inheritance.
func TestNoPIShowsPriorityInversion(t *testing.T) {
	with, _, err := mkos(t, "run", "--workload", "pathfinder")
	require.NoError(t, err)
	without, _, err := mkos(t, "run", "--workload", "pathfinder", "--no-pi")
	require.NoError(t, err)
	assert.Contains(t, with, "priority inheritance on: the high-priority task waited 9.001ms for the bus; finished: high, medium, low")
	assert.Contains(t, without, "priority inheritance off: the high-priority task waited 58.002ms for the bus; finished: medium, low, high")
}
