package ulib_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/pm"
	"github.com/mkos/mkos/user/ulib"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const ms = int64(1_000_000)

// run boots a kernel with pm in the kernel and the given programs, runs
// body as init, and runs the kernel to its end.
func run(t *testing.T, progs map[string]pmproto.Program, body func(p *ulib.Proc)) *kernel.Kernel {
	t.Helper()
	k, err := kernel.New(kernel.Config{Seed: 1, MaxTimeNs: 1000 * ms})
	require.NoError(t, err)
	_, err = k.Place(pmproto.Name, pm.New(pm.Options{Programs: progs}))
	require.NoError(t, err)
	_, err = k.Spawn(pm.Adopt("init", func(sys ipc.Sys, _, _ []string) int { body(ulib.New(sys)); return 0 }, nil, nil))
	require.NoError(t, err)
	require.NoError(t, k.Run())
	return k
}

func TestSleepRunsHandlersAndSleepsOn(t *testing.T) {
	var at []int64
	var start, end int64
	run(t, map[string]pmproto.Program{
		"/bin/poke": func(sys ipc.Sys, _, _ []string) int {
			p := ulib.New(sys)
			for range 3 {
				_ = sys.Sleep(ms)
				_ = p.Kill(1, linux.SIGUSR2)
			}
			return 0
		},
	}, func(p *ulib.Proc) {
		assert.NoError(t, p.Signal(linux.SIGUSR2, func(p *ulib.Proc, sig linux.Signal) {
			assert.Equal(t, linux.SIGUSR2, sig)
			at = append(at, p.Sys.Now())
		}))
		_, err := p.Spawn("/bin/poke", nil, nil, nil)
		assert.NoError(t, err)
		start = p.Sys.Now()
		assert.NoError(t, p.Sleep(10*ms))
		end = p.Sys.Now()
		_, _, _ = p.Wait()
	})
	assert.Len(t, at, 3, "a handler run per signal, during the sleep")
	for _, t0 := range at {
		assert.Less(t, t0, end)
	}
	assert.GreaterOrEqual(t, end-start, 10*ms, "the sleep lasts its whole length in virtual time")
}

func TestPendingKeepsTheProgramsBits(t *testing.T) {
	var ran int
	var pending, again uint64
	run(t, nil, func(p *ulib.Proc) {
		assert.NoError(t, p.Sys.Notify(p.Sys.Self(), 1<<40|pmproto.SignalBit(linux.SIGHUP)))
		ran = p.Poll()
		pending = p.Pending()
		again = p.Pending()
	})
	assert.Zero(t, ran, "no handler for SIGHUP")
	assert.Equal(t, uint64(1<<40), pending)
	assert.Zero(t, again, "Pending forgets what it returned")
}

func TestSignalNilRestoresTheDefault(t *testing.T) {
	var got linux.WaitStatus
	var errNil, errBad error
	run(t, map[string]pmproto.Program{
		"/bin/flip": func(sys ipc.Sys, _, _ []string) int {
			p := ulib.New(sys)
			_ = p.Signal(linux.SIGTERM, func(*ulib.Proc, linux.Signal) {})
			errNil = p.Signal(linux.SIGTERM, nil)
			errBad = p.Signal(0, nil)
			pid, _ := p.Getpid()
			_ = p.Kill(pid, linux.SIGTERM)
			return 0
		},
	}, func(p *ulib.Proc) {
		_, _ = p.Spawn("/bin/flip", nil, nil, nil)
		_, got, _ = p.Wait()
	})
	assert.NoError(t, errNil)
	assert.ErrorIs(t, errBad, linux.EINVAL)
	assert.Equal(t, pmproto.Signaled(linux.SIGTERM), got)
}

func TestExitOfAnUnwrappedTaskReachesPM(t *testing.T) {
	k, err := kernel.New(kernel.Config{Seed: 1})
	require.NoError(t, err)
	_, err = k.Place(pmproto.Name, pm.New(pm.Options{}))
	require.NoError(t, err)
	var ps []pmproto.ProcInfo
	_, err = k.Spawn(ipc.TaskSpec{Name: "a", Body: func(sys ipc.Sys) {
		p := ulib.New(sys)
		_, _ = p.Getpid()
		p.Exit(0)
	}})
	require.NoError(t, err)
	_, err = k.Spawn(ipc.TaskSpec{Name: "b", Body: func(sys ipc.Sys) {
		p := ulib.New(sys)
		_ = p.Sleep(ms)
		_, _ = p.Getpid() // become a process: pid 2
		ps, _ = p.Ps()
	}})
	require.NoError(t, err)
	require.NoError(t, k.Run())
	if assert.Len(t, ps, 1) {
		assert.Equal(t, 2, ps[0].Pid, "a (pid 1) told pm it exited and was reaped")
	}
}
