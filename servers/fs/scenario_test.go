package fs_test

// Scenario files: testdata/*.txt are transcripts of the command runner
// (user/fscmd), as a shell session shows them:
//
//	# a comment line, kept as it is
//	$ mkdir /d             ← a command
//	$ mkdir /d
//	mkdir /d: file exists (EEXIST)        ← what it printed
//
// Each file runs on a fresh 16 MiB file system in every placement, and every
// placement must print the same transcript: the file server cannot tell
// where it runs. `go test ./servers/fs -run Scenario -rewrite` rewrites the
// transcripts from the micro run; review the diff like code.

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/user/fscmd"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the transcripts of testdata/*.txt")

func TestScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			sc := parseTranscript(string(data))
			require.NotEmpty(t, sc.commands(), "%s has no commands", path)
			var first string
			for _, p := range placements {
				got := sc.render(runScript(t, p, sc.commands()))
				if first == "" {
					first = got
				}
				if *rewrite {
					assert.Equal(t, first, got, "%s: %s differs from micro", path, p)
					continue
				}
				assert.Equal(t, string(data), got, "%s in %s", path, p)
			}
			if *rewrite {
				require.NoError(t, os.WriteFile(path, []byte(first), 0o644))
			}
		})
	}
}

// runScript runs the commands as one client and returns each one's output
// (standard output and errors, in order).
func runScript(t *testing.T, placement string, cmds []string) []string {
	outs := make([]string, len(cmds))
	b := boot(t, sysConf{placement: placement, dev: newDev(t, 16<<20)}, func(sys ipc.Sys) {
		var buf bytes.Buffer
		r, err := fscmd.New(sys, &buf, &buf)
		if err != nil {
			outs[0] = err.Error()
			return
		}
		for i, c := range cmds {
			buf.Reset()
			r.Exec(c)
			outs[i] = buf.String()
		}
	})
	b.run(t)
	return outs
}

// transcript is a parsed scenario file: lines kept as they are (comments,
// blank lines) and commands with their expected output.
type transcript struct {
	items []item
}

type item struct {
	text string // a kept line, or a command (without "$ ")
	cmd  bool
}

func parseTranscript(text string) *transcript {
	sc := &transcript{}
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "$ "):
			sc.items = append(sc.items, item{text: line[2:], cmd: true})
		case line == "" || strings.HasPrefix(line, "#"):
			sc.items = append(sc.items, item{text: line})
		}
	}
	return sc
}

func (sc *transcript) commands() []string {
	var out []string
	for _, it := range sc.items {
		if it.cmd {
			out = append(out, it.text)
		}
	}
	return out
}

// render writes the transcript with outs as the commands' output.
func (sc *transcript) render(outs []string) string {
	var b strings.Builder
	i := 0
	for _, it := range sc.items {
		if !it.cmd {
			b.WriteString(it.text + "\n")
			continue
		}
		b.WriteString("$ " + it.text + "\n")
		out := outs[i]
		if out != "" && !strings.HasSuffix(out, "\n") {
			out += "⏎\n" // output without a final new line
		}
		b.WriteString(out)
		i++
	}
	return b.String()
}
