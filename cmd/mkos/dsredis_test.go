//go:build !js

package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// --ds-redis puts the data store in Redis: a run on a server that answers
// boots, one on a server that does not stops with an error naming
// ds.addr, and --data-dir with it is refused.
func TestRunDSRedis(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ds.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("servers:\n  - {name: ds, placement: user}\nworkload: {clients: 0}\n"), 0o644))
	up := miniredis.RunT(t)
	gone := miniredis.RunT(t)
	goneAddr := gone.Addr()
	gone.Close()

	cases := []struct {
		name string
		args []string
		err  string
	}{
		{"a server that answers", []string{"run", "--config", cfg, "--ds-redis", up.Addr()}, ""},
		{"a server that does not", []string{"run", "--config", cfg, "--ds-redis", goneAddr}, "ds.addr " + goneAddr},
		{"with --data-dir", []string{"run", "--config", cfg, "--ds-redis", up.Addr(), "--data-dir", dir}, "data_dir: the redis data store has no file to keep there"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := mkos(t, c.args...)
			if c.err == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, c.err)
			}
		})
	}
}
