package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTopPrintsFrames(t *testing.T) {
	out, _, err := mkos(t, "top", "--frames", "3", "--every", "10ms", "--speed", "0.01")
	require.NoError(t, err)
	assert.Equal(t, 3, strings.Count(out, "── frame "), "frames in\n%s", out)
	assert.Contains(t, out, "mkos top  t=")
	assert.Regexp(t, `(?m)^echo\s+user\s+`, out, "the echo service line")
	assert.Contains(t, out, "client0")
	assert.Contains(t, out, "q quit")
}

func TestTopStopsAtTheEnd(t *testing.T) {
	out, _, err := mkos(t, "top", "--frames", "1000", "--every", "1ms", "--speed", "max", "--calls", "5")
	require.NoError(t, err)
	assert.Contains(t, out, "  ended  ", "the last frame says the run ended")
	assert.Less(t, strings.Count(out, "── frame "), 1000)
}

func TestTopReplaysItsControls(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	script := `{"t":0,"cpu":0,"ev":"control","word":400,"detail":"crash echo"}` + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "clicks.jsonl"), []byte(script), 0o644))
	args := []string{"top", "--frames", "1000", "--every", "1ms", "--speed", "max", "--calls", "50"}
	_, _, err := mkos(t, append(args, "--replay", filepath.Join(dir, "clicks.jsonl"), "--trace", first)...)
	require.NoError(t, err)
	_, _, err = mkos(t, append(args, "--replay", first, "--trace", second)...)
	require.NoError(t, err)
	a, err := os.ReadFile(first)
	require.NoError(t, err)
	b, err := os.ReadFile(second)
	require.NoError(t, err)
	assert.Contains(t, string(a), `"ev":"control"`)
	assert.Contains(t, string(a), `"ev":"restart"`)
	assert.Equal(t, string(a), string(b), "the trace replayed from the first run's trace")
}

func TestTopRefusesBadFlags(t *testing.T) {
	tests := []struct{ name, flag, value, want string }{
		{"speed", "--speed", "fast", "--speed"},
		{"every", "--every", "0s", "--every"},
		{"replay", "--replay", "/nonexistent/trace.jsonl", "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := mkos(t, "top", "--frames", "1", tc.flag, tc.value)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
