package tests

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/user/ulib"
)

// netRun runs the sockets scenario's echo (two connections over the
// loopback) on cfg and returns the kernel's JSON trace and the programs'
// transcript (calls, times, ports).
func netRun(t *testing.T, cfg boot.Config) (trace []byte, transcript string) {
	t.Helper()
	var buf bytes.Buffer
	var out strings.Builder
	tr := kernel.NewJSONTracer(&buf)
	sys, err := boot.Boot(cfg, tr)
	require.NoError(t, err)
	defer sys.Close()
	logf := func(p *ulib.Proc, who, format string, a ...any) {
		fmt.Fprintf(&out, "%d %s: %s\n", p.Sys.Now(), who, fmt.Sprintf(format, a...))
	}
	addr := netip.MustParseAddrPort("127.0.0.1:7")
	for _, task := range []struct {
		name string
		body func(p *ulib.Proc)
	}{
		{"server", func(p *ulib.Proc) { scenarioEchoServer(p, addr, 2, logf) }},
		{"client", func(p *ulib.Proc) { scenarioEchoClient(p, addr, false, logf) }},
	} {
		_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: task.name, Body: func(s ipc.Sys) { task.body(ulib.New(s)) }})
		require.NoError(t, err)
	}
	_, err = sys.Run()
	require.NoError(t, err)
	require.NoError(t, tr.Flush())
	return buf.Bytes(), out.String()
}

// One seed reproduces a run with network traffic byte for byte — every
// IPC of the net server, its timers, the ports and sequence numbers the
// stack picks — in every mode on one and two CPUs; another seed picks
// other ports.
func TestNetDeterminism(t *testing.T) {
	for _, mode := range boot.Modes {
		for _, cpus := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/cpus=%d", mode, cpus), func(t *testing.T) {
				cfg := netConfig(mode)
				cfg.CPUs = cpus
				trace1, out1 := netRun(t, cfg)
				trace2, out2 := netRun(t, cfg)
				require.Contains(t, out1, `client: read "hello 2": ok`)
				assert.Equal(t, out1, out2, "transcripts of two runs with seed %d", cfg.Seed)
				assert.True(t, bytes.Equal(trace1, trace2), "traces of two runs with seed %d differ (%d and %d bytes)", cfg.Seed, len(trace1), len(trace2))
				cfg.Seed++
				_, other := netRun(t, cfg)
				assert.NotEqual(t, out1, other, "seeds %d and %d gave the same transcript", cfg.Seed-1, cfg.Seed)
			})
		}
	}
}
