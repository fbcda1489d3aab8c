package tests

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/servers/ds/store"
)

// TestReadmeConfigParses keeps the README's example boot configuration
// valid: a user copies it first.
func TestReadmeConfigParses(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(data)
	require.NotNil(t, m, "the README has a yaml block")
	dir := t.TempDir()
	y := strings.NewReplacer("/var/tmp/mkos", dir, "image: disk.img", "image: "+dir+"/disk.img").Replace(string(m[1]))
	cfg, err := boot.Parse([]byte(y))
	require.NoError(t, err)
	sys, err := boot.Boot(cfg, nil)
	if !store.FileStore && cfg.DataDir != "" { // js/wasm: the data store is in memory only
		require.ErrorIs(t, err, store.ErrNoFileStore)
		return
	}
	require.NoError(t, err)
	_, err = sys.Run()
	require.NoError(t, err)
	require.NoError(t, sys.Close())
}
