//go:build !js

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withoutHostTime is a faults printout less its last line, the host time,
// which is the one line a sharded campaign's differs in.
func withoutHostTime(t *testing.T, out string) string {
	t.Helper()
	i := strings.LastIndex(out, "host time: ")
	require.GreaterOrEqual(t, i, 0, out)
	return out[:i]
}

var shardedArgs = []string{"faults", "--count", "100", "--per-run", "20", "--seed", "3", "--kinds", "crash,hang,garbage"}

func TestFaultsShardedPrintsTheLocalReport(t *testing.T) {
	local, _, err := mkos(t, shardedArgs...)
	require.NoError(t, err, local)
	out, _, err := mkos(t, append(shardedArgs, "--workers", "3")...)
	require.NoError(t, err, out)
	assert.Equal(t, withoutHostTime(t, local), withoutHostTime(t, out))
	assert.Contains(t, out, "sharded over 3 workers in this process\n")
}

// natsServer starts a NATS server with JetStream on a free loopback port.
func natsServer(t *testing.T) string {
	t.Helper()
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true})
	require.NoError(t, err)
	srv.Start()
	t.Cleanup(srv.Shutdown)
	require.True(t, srv.ReadyForConnections(10*time.Second))
	return srv.ClientURL()
}

func TestFaultsWorkerServesACampaignOnACluster(t *testing.T) {
	url := natsServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	var workerErr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		root := newRoot()
		root.SetArgs([]string{"faults", "worker", "--nats", url, "--parallel", "2", "--name", "elsewhere"})
		root.SetOut(&bytes.Buffer{})
		root.SetErr(&workerErr)
		done <- root.ExecuteContext(ctx)
	}()
	local, _, err := mkos(t, shardedArgs...)
	require.NoError(t, err, local)
	// No worker in this process: the one above makes every range.
	out, _, err := mkos(t, append(shardedArgs, "--nats", url, "--workers", "0")...)
	require.NoError(t, err, out)
	cancel()
	require.NoError(t, <-done)
	assert.Equal(t, withoutHostTime(t, local), withoutHostTime(t, out))
	assert.Contains(t, workerErr.String(), "elsewhere#")
	assert.Contains(t, workerErr.String(), "range 0 (runs 0-0) made")
}

func TestFaultsShardingRejectsBadFlags(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no workers", []string{"faults", "--workers", "0"}, "--workers 0: a sharded campaign needs at least 1 worker"},
		{"negative workers", []string{"faults", "--workers", "-2"}, "--workers -2: must not be negative"},
		{"not a NATS address", []string{"faults", "--nats", "http://example.org"}, `--nats "http://example.org": not a NATS server address`},
		{"no host", []string{"faults", "--nats", "nats://:4222"}, "no host"},
		{"nobody there", []string{"faults", "--nats", "nats://127.0.0.1:1", "--count", "1"}, "--nats nats://127.0.0.1:1: nats: no servers available"},
		{"link faults", []string{"faults", "--link", "--workers", "2"}, "--link and --nodes campaigns run on one machine"},
		{"node faults", []string{"faults", "--nodes", "2", "--nats", "nats://127.0.0.1:4222"}, "--link and --nodes campaigns run on one machine"},
		{"parallel with workers", []string{"faults", "--workers", "2", "--parallel", "2"}, "--parallel is for a campaign on its own"},
		{"worker without a server", []string{"faults", "worker"}, "--nats URL is required"},
		{"worker with a bad server", []string{"faults", "worker", "--nats", "localhost:4222"}, "not a NATS server address"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := mkos(t, c.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			code, _ := exitCode(err)
			assert.Equal(t, exitError, code, "the status of a bad flag")
		})
	}
}
