package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
)

// TestShellScripts runs each POSIX shell script testdata/sh/NAME.sh with
// /bin/sh -c on a booted system (micro mode: every server a task) and
// compares what it printed — the standard output, the standard error
// marked "! ", then "status N" — with testdata/sh/NAME.want. The scripts
// are plain POSIX sh: the expected outputs were checked against dash,
// but the test needs only mkos. -rewrite rewrites the .want files.
func TestShellScripts(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join("testdata", "sh", "*.sh"))
	require.NoError(t, err)
	require.NotEmpty(t, scripts, "no scripts in testdata/sh")
	for _, path := range scripts {
		name := strings.TrimSuffix(filepath.Base(path), ".sh")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(path)
			require.NoError(t, err)
			cfg := boot.Default()
			cfg.Mode = boot.Micro
			cfg.MaxTime = boot.Duration(time.Minute) // virtual: a script that loops forever fails, not hangs
			got := runShell(cfg, string(src), "")
			outPath := strings.TrimSuffix(path, ".sh") + ".want"
			if *rewrite {
				require.NoError(t, os.WriteFile(outPath, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(outPath)
			require.NoError(t, err, "no expected output: run with -rewrite")
			assert.Equal(t, string(want), got, "sh -c %s: output, want %s", path, outPath)
		})
	}
}
