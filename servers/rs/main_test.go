package rs_test

// The tests boot whole systems with boot.Boot, so that rs runs exactly as
// it does in `mkos run`, add task bodies that provoke deaths and hangs and
// record what they saw, and assert on the record after the run. Bodies
// use assert, never require: require stops the goroutine it runs on, and
// a body runs on its own coroutine. Times are virtual: a run is a pure
// function of its configuration.

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/rsproto"
	"github.com/mkos/mkos/kernel"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// config is a system with the given servers, no demo clients and no time
// limit but a generous one.
func config(mode boot.Mode, servers ...boot.ServerConf) boot.Config {
	cfg := boot.Default()
	cfg.Mode, cfg.Servers = mode, servers
	cfg.Workload = boot.WorkloadConf{}
	cfg.MaxTime = boot.Duration(60 * time.Second)
	return cfg
}

// run boots cfg with tracer (may be nil), spawns body as a task named
// "test", runs the system and returns it and its summary.
func run(t *testing.T, cfg boot.Config, tracer kernel.Tracer, body func(sys ipc.Sys)) (*boot.System, *boot.Summary) {
	t.Helper()
	sys, err := boot.Boot(cfg, tracer)
	require.NoError(t, err)
	_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "test", Body: body})
	require.NoError(t, err)
	sum, err := sys.Run()
	require.NoError(t, err)
	require.NoError(t, sys.Close())
	return sys, sum
}

// dial returns the endpoint of service name.
func dial(t *testing.T, sys ipc.Sys, name string) ipc.Endpoint {
	ep, err := ipc.Dial(sys, name)
	assert.NoError(t, err, "dial %s", name)
	return ep
}

// rsLog reads rs's restart log.
func rsLog(t *testing.T, sys ipc.Sys) []rsproto.LogEntry {
	c, err := rsproto.Dial(sys)
	assert.NoError(t, err)
	log, err := c.Log()
	assert.NoError(t, err)
	return log
}

// instance returns the live instances of service name, from the bus.
func instances(s *boot.System, name string) []ipc.Endpoint {
	for _, si := range s.Kernel.Services() {
		if si.Name == name {
			return si.Instances
		}
	}
	return nil
}

func ms(n int64) int64 { return n * 1_000_000 }
func us(n int64) int64 { return n * 1_000 }
