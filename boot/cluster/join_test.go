//go:build !js

package cluster_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/cluster"
)

// Nodes that join through a NATS server on a TCP port — as `mkos node`
// in two processes — call each other's services too.
func TestJoinOverTCP(t *testing.T) {
	url, stop, err := cluster.Serve("127.0.0.1", 0)
	require.NoError(t, err)
	defer stop()
	cfg, err := boot.Parse([]byte(twoNodes))
	require.NoError(t, err)
	b, err := cluster.Join(cfg, "b", url, cluster.Options{})
	require.NoError(t, err)
	defer b.Close()
	a, err := cluster.Join(cfg, "a", url, cluster.Options{ExitWhenIdle: true})
	require.NoError(t, err)
	defer a.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, _ = b.Run() // serves until stopped
	}()
	_, err = a.Run()
	require.NoError(t, err)
	b.Stop()
	wg.Wait()
	tally := a.Node("a").System.Tally
	assert.Empty(t, tally.Errors, "errors")
	assert.Equal(t, 2, tally.Finished, "clients that finished")
	assert.Equal(t, 2*10*2, tally.Calls, "calls answered right")
}
