package rs_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
	"github.com/mkos/mkos/kernel"
)

// userModes are the modes in which echo runs in user space (hybrid places
// it there by default), so rs supervises it.
var userModes = []boot.Mode{boot.Micro, boot.Hybrid}

// A server that dies again and again as soon as it is back waits longer
// each time: 100µs, 200µs, 400µs, then the 800µs cap. One that stayed up
// longer than min_uptime starts over at 100µs.
func TestBackoffGrowsCapsAndResets(t *testing.T) {
	for _, mode := range userModes {
		t.Run(string(mode), func(t *testing.T) {
			cfg := config(mode, boot.ServerConf{Name: "echo"})
			cfg.RS.Backoff, cfg.RS.BackoffMax = boot.Duration(100*time.Microsecond), boot.Duration(800*time.Microsecond)
			cfg.RS.MinUptime = boot.Duration(50 * time.Millisecond)
			var log []rsproto.LogEntry
			run(t, cfg, nil, func(sys ipc.Sys) {
				echo := dial(t, sys, "echo")
				for i := 0; i < 7; i++ {
					assert.ErrorIs(t, echoproto.CrashIt(sys, echo), ipc.ErrServiceDied, "crash %d", i+1)
				}
				sys.Sleep(ms(60)) // the 7th restart, and 50ms up
				assert.ErrorIs(t, echoproto.CrashIt(sys, echo), ipc.ErrServiceDied, "crash 8")
				sys.Sleep(ms(1))
				log = rsLog(t, sys)
			})
			want := []int64{100, 200, 400, 800, 800, 800, 800, 100}
			require.Len(t, log, len(want))
			for i, e := range log {
				down := e.TimeNs - e.DiedNs
				assert.Equal(t, "echo", e.Service)
				assert.Contains(t, e.Cause, "crash requested")
				assert.GreaterOrEqual(t, down, us(want[i]), "restart %d: down %v, want the %dµs back-off", i+1, down, want[i])
				assert.Less(t, down, us(want[i]+20), "restart %d: down %v, want the %dµs back-off", i+1, down, want[i])
				if i > 0 {
					assert.Equal(t, log[i-1].New, e.Old, "restart %d replaces the instance restart %d started", i+1, i)
				}
			}
		})
	}
}

// A server that stops answering is killed within a ping period and a
// ping timeout; its caller's request fails with ECONNRESET, and the retry
// is served by the new instance. While the restart waits out its
// back-off, svc list says "hung".
func TestHangIsDetectedAndRestarted(t *testing.T) {
	for _, mode := range userModes {
		t.Run(string(mode), func(t *testing.T) {
			cfg := config(mode, boot.ServerConf{Name: "echo"})
			cfg.RS.PingPeriod, cfg.RS.PingTimeout = boot.Duration(10*time.Millisecond), boot.Duration(2*time.Millisecond)
			cfg.RS.Backoff = boot.Duration(time.Millisecond)
			var hungAt int64
			var firstErr, retryErr error
			var answer string
			var during rsproto.State
			var log []rsproto.LogEntry
			run(t, cfg, nil, func(sys ipc.Sys) {
				echo := dial(t, sys, "echo")
				assert.NoError(t, sys.Inject("echo", ipc.InjectHang, 0))
				hungAt = sys.Now()
				out := make([]byte, 32)
				_, firstErr = echoproto.Call(sys, echo, []byte("are you there?"), out)
				sts, err := rsproto.Client{Sys: sys, Dst: dial(t, sys, rsproto.Name)}.List()
				assert.NoError(t, err)
				for _, st := range sts {
					if st.Name == "echo" {
						during = st.State
					}
				}
				n, err := echoproto.Call(sys, echo, []byte("are you there?"), out)
				retryErr, answer = err, string(out[:n])
				log = rsLog(t, sys)
			})
			assert.ErrorIs(t, firstErr, ipc.ErrServiceDied, "the hung request fails when rs kills the instance")
			assert.NoError(t, retryErr)
			assert.Equal(t, "are you there?", answer)
			assert.Equal(t, rsproto.Hung, during, "svc list during the back-off")
			require.Len(t, log, 1)
			e := log[0]
			assert.Equal(t, "hung: no answer to a ping in 2ms", e.Cause)
			assert.LessOrEqual(t, e.DiedNs-hungAt, ms(10+2), "killed within ping_period + ping_timeout")
			assert.GreaterOrEqual(t, e.TimeNs-e.DiedNs, ms(1), "restarted after the back-off")
		})
	}
}

// rs killed: the kernel starts a new rs at once. An echo killed before the
// new rs ran is found dead and restarted; the restart of rs itself is in
// the log and the run summary; and the new rs supervises what dies next.
func TestRSKilledIsRestartedAndCatchesUp(t *testing.T) {
	for _, mode := range userModes {
		t.Run(string(mode), func(t *testing.T) {
			cfg := config(mode, boot.ServerConf{Name: "echo"}, boot.ServerConf{Name: "null"})
			var oldRS, oldEcho ipc.Endpoint
			var callErr, crashErr, after error
			var log []rsproto.LogEntry
			_, sum := runSys(t, cfg, func(s *boot.System, sys ipc.Sys) {
				echo := dial(t, sys, "echo")
				oldRS, oldEcho = instances(s, rsproto.Name)[0], instances(s, "echo")[0]
				assert.NoError(t, sys.Kill(oldRS))
				assert.NoError(t, sys.Kill(oldEcho)) // before the new rs runs
				out := make([]byte, 8)
				_, callErr = echoproto.Call(sys, echo, []byte("hi"), out)
				crashErr = echoproto.CrashIt(sys, echo)
				_, after = echoproto.Call(sys, echo, []byte("hi"), out)
				log = rsLog(t, sys)
			})
			assert.NoError(t, callErr, "served by the echo the new rs restarted")
			assert.ErrorIs(t, crashErr, ipc.ErrServiceDied)
			assert.NoError(t, after, "served by the echo restarted after the crash")
			require.Len(t, log, 3)
			assert.Equal(t, rsproto.LogEntry{TimeNs: log[0].TimeNs, DiedNs: log[0].DiedNs, Service: rsproto.Name,
				Old: oldRS, New: log[0].New, Cause: "killed"}, log[0])
			assert.NotEqual(t, oldRS, log[0].New)
			assert.Equal(t, "echo", log[1].Service)
			assert.Equal(t, oldEcho, log[1].Old)
			assert.Equal(t, "killed", log[1].Cause)
			assert.Equal(t, "echo", log[2].Service)
			assert.Contains(t, log[2].Cause, "crash requested")
			require.Len(t, sum.Restarts, 3, "the run summary has rs's restarts too")
			assert.Equal(t, rsproto.Name, sum.Restarts[0].Server)
		})
	}
}

// runSys is run for bodies that look at the booted system.
func runSys(t *testing.T, cfg boot.Config, body func(s *boot.System, sys ipc.Sys)) (*boot.System, *boot.Summary) {
	t.Helper()
	s, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	_, err = s.Kernel.Spawn(ipc.TaskSpec{Name: "test", Body: func(sys ipc.Sys) { body(s, sys) }})
	require.NoError(t, err)
	sum, err := s.Run()
	require.NoError(t, err)
	require.NoError(t, s.Close())
	return s, sum
}

// With a data store, what svc changed survives a restart of rs: a stopped
// service stays stopped, a replaced one keeps its implementation, and the
// log keeps its entries.
func TestStateSurvivesRSRestartThroughDS(t *testing.T) {
	cfg := config(boot.Micro, boot.ServerConf{Name: "ds"}, boot.ServerConf{Name: "echo"}, boot.ServerConf{Name: "null"})
	var sts []rsproto.Status
	var log []rsproto.LogEntry
	var crashErr error
	run(t, cfg, nil, func(sys ipc.Sys) {
		c := rsproto.Client{Sys: sys, Dst: dial(t, sys, rsproto.Name)}
		assert.NoError(t, c.Stop("null"))
		_, _, err := c.Replace("echo", "echo2")
		assert.NoError(t, err)
		_, _, err = c.Restart(rsproto.Name)
		assert.NoError(t, err)
		sts, err = c.List() // the new rs answers
		assert.NoError(t, err)
		log, err = c.Log()
		assert.NoError(t, err)
		_, crashErr = ipc.Do(sys, dial(t, sys, "echo"), &ipc.Message{Type: echoproto.Crash}, nil, echoproto.Errnos)
	})
	states := map[string]string{}
	for _, st := range sts {
		states[st.Name] = fmt.Sprintf("%s %s", st.State, st.Impl)
	}
	assert.Equal(t, map[string]string{"ds": "up ds", "echo": "up echo2", "null": "stopped null", "rs": "up rs"}, states)
	require.Len(t, log, 2)
	assert.Equal(t, "echo", log[0].Service)
	assert.Contains(t, log[0].Cause, "replaced by echo2")
	assert.Equal(t, rsproto.Name, log[1].Service)
	assert.ErrorIs(t, crashErr, linux.EPERM, "echo2 refuses to crash")
}

// Dependency order: ds first (everything depends on it by default), the
// disk before fs (DefaultDepends), and echo after fs (depends_on); null
// says it depends on nothing. Each is spawned only after the servers it
// depends on have registered.
func TestDependencyOrderAtBoot(t *testing.T) {
	cfg := config(boot.Micro, boot.ServerConf{Name: "null", DependsOn: []string{}}, boot.ServerConf{Name: "echo", DependsOn: []string{"fs"}},
		boot.ServerConf{Name: "fs"}, boot.ServerConf{Name: "ds"})
	cfg.Disk = &boot.DiskConf{Size: 1 << 20}
	var rec kernel.Recorder
	run(t, cfg, &rec, func(ipc.Sys) {})
	spawned, registered := map[string]int64{}, map[string]int64{}
	var order []string
	for _, e := range rec.Events {
		switch e.Kind {
		case kernel.EvSpawn:
			spawned[e.Name] = e.T
		case kernel.EvRegister:
			if _, ok := registered[e.Svc]; !ok {
				order = append(order, e.Svc)
			}
			registered[e.Svc] = e.T
		}
	}
	assert.Equal(t, []string{"null", "ds", "rs", "disk", "fs", "echo"}, order, "registration order")
	for svc, deps := range map[string][]string{"disk": {"ds"}, "fs": {"ds", "disk"}, "echo": {"ds", "fs"}} {
		for _, d := range deps {
			assert.GreaterOrEqual(t, spawned[svc], registered[d], "%s spawned after %s registered", svc, d)
		}
	}
}

// A system whose programs are all blocked for good ends: rs pings while
// something could change, and stops when a whole round changed nothing.
// Without that, a run with no time limit would never end.
func TestStuckSystemEnds(t *testing.T) {
	cfg := config(boot.Micro, boot.ServerConf{Name: "echo"})
	cfg.MaxTime = 0
	cfg.RS.PingPeriod = boot.Duration(10 * time.Millisecond)
	s, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	_, err = s.Kernel.Spawn(ipc.TaskSpec{Name: "stuck", Body: func(sys ipc.Sys) {
		var m ipc.Message
		_ = sys.Receive(ipc.KernelEndpoint, &m) // a notification nobody sends
	}})
	require.NoError(t, err)
	sum, err := s.Run()
	require.NoError(t, err)
	assert.Less(t, sum.VirtualNs, ms(40), "two rounds that changed nothing, then rs stops pinging")
	assert.Greater(t, sum.VirtualNs, ms(10), "rs pinged while it could not know")
}
