//go:build !js

package cluster_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/cluster"
)

// Close leaves nothing behind: no node's goroutines, no connection's, no
// embedded server's.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	cfg, err := boot.Parse([]byte(echoOnB))
	require.NoError(t, err)
	c, err := cluster.New(cfg, cluster.Options{})
	require.NoError(t, err)
	var out []outcome
	caller(t, c, 3, 1_000_000, &out)
	_, err = c.Run()
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.Len(t, out, 3)
}
