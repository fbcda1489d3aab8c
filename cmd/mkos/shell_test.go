package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shell runs `mkos shell args` with input typed at the console through a
// host pipe, as `printf … | mkos shell` does, and returns its output.
func shell(t *testing.T, input string, args ...string) (string, string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	go func() {
		w.WriteString(input)
		w.Close()
	}()
	var out, errOut bytes.Buffer
	root := newRoot()
	root.SetArgs(append([]string{"shell"}, args...))
	root.SetIn(r)
	root.SetOut(&out)
	root.SetErr(&errOut)
	err = root.Execute()
	return out.String(), errOut.String(), err
}

func TestShellFedFromAPipe(t *testing.T) {
	for _, mode := range []string{"micro", "mono", "hybrid"} {
		t.Run(mode, func(t *testing.T) {
			out, errOut, err := shell(t, "echo hello | cat\necho bye > /dev/null\nexit 3\n", "--mode", mode)
			assert.Equal(t, exitStatus(3), err, "mkos exits with the shell's status")
			assert.Contains(t, out, "echo hello | cat\nhello\n", "the command line echoed by the tty, then its output")
			assert.NotContains(t, out, "\nbye")
			assert.Contains(t, out, "exit 3\n")
			assert.Empty(t, errOut)
		})
	}
}

func TestShellEndOfInputEndsTheSession(t *testing.T) {
	out, _, err := shell(t, "echo one\n")
	assert.NoError(t, err, "end of input is end of file for the shell, which exits with 0")
	assert.Contains(t, out, "one\n")
}

func TestShellIsReproducible(t *testing.T) {
	const input = "echo a; cat /dev/null; echo b | cat\nls /\nexit\n"
	first, _, err := shell(t, input, "--seed", "9")
	require.NoError(t, err)
	second, _, err := shell(t, input, "--seed", "9")
	require.NoError(t, err)
	assert.Equal(t, first, second, "a script typed at the console gives the same run")
}

func TestShellEchoLoopWhenThereIsNoSuchProgram(t *testing.T) {
	out, _, err := shell(t, "hello\nexit\nnever\n", "--init", "/bin/none")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(out, "mkos: /bin/none is not a program here; an echo loop runs instead"), out)
	assert.Contains(t, out, "echo> hello\nhello\necho> exit\n", "the tty's echo, then the loop's")
	assert.NotContains(t, out, "never")
}

func TestRunWithAConsole(t *testing.T) {
	out, _, err := mkos(t, "run", "--console-input", "typed\n", "-c", "cat", "--json")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(out, "typed\ntyped\n{"), "the tty's echo, cat's copy, then the summary: %q", out)
	assert.Regexp(t, `"name": "tty",\s+"placement": "user",\s+"instances": 1`, out, "the tty driver is placed with the console")
	path := t.TempDir() + "/boot.yaml"
	require.NoError(t, os.WriteFile(path, []byte("mode: hybrid\nconsole:\n  input: \"x\\n\"\n  byte_time: 2us\nservers:\n  - name: pipe\n  - name: memdev\n"), 0o644))
	out, _, err = mkos(t, "run", "--config", path, "--clients", "0")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^\s+tty\s+user\s`, out)
	assert.Regexp(t, `(?m)^\s+pipe\s+kernel\s`, out, "hybrid places the pipe server in the kernel")
	assert.Regexp(t, `(?m)^\s+memdev\s+user\s`, out)
}
