package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// answer is a server whose reply carries a fixed word.
type answer struct{}

func (answer) Handle(_ *ipc.Ctx, req *ipc.Message) ipc.Message {
	r := ipc.Reply(req)
	r.SetWord(0, 42)
	return r
}

// injectRun boots "svc" (in the kernel or as a task), arms kind on it, and
// makes one call with a timeout. It returns the call's error, the reply's
// word, how long the call took, and Run's error.
func injectRun(t *testing.T, inKernel bool, kind ipc.Injection, param, timeout int64) (callErr error, word uint64, took int64, runErr error) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	if inKernel {
		_, err = k.Place("svc", answer{})
	} else {
		_, err = k.Declare("svc")
		k.Spawn(ipc.TaskSpec{Name: "svc", Body: func(sys ipc.Sys) { ipc.Serve(sys, "svc", answer{}) }})
	}
	require.NoError(t, err)
	k.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
		require.NoError(t, sys.Inject("svc", kind, param))
		id, _ := sys.Lookup("svc")
		var req, rep ipc.Message
		t0 := sys.Now()
		callErr = sys.CallWith(ipc.ServiceEndpoint(id), &req, &rep, &ipc.Extra{TimeoutNs: timeout})
		took = sys.Now() - t0
		word = rep.Word(0)
	}})
	runErr = k.Run()
	return
}

func TestInjectedFaults(t *testing.T) {
	const timeout = 1_000_000
	tests := []struct {
		name     string
		inKernel bool
		kind     ipc.Injection
		param    int64
		check    func(t *testing.T, callErr error, word uint64, took int64, runErr error)
	}{
		{"crash in user space", false, ipc.InjectCrash, 0, func(t *testing.T, callErr error, _ uint64, _ int64, runErr error) {
			assert.ErrorIs(t, callErr, ipc.ErrServiceDied)
			assert.NoError(t, runErr)
		}},
		{"crash in the kernel", true, ipc.InjectCrash, 0, func(t *testing.T, _ error, _ uint64, _ int64, runErr error) {
			var p *kernel.Panic
			require.ErrorAs(t, runErr, &p)
			assert.Equal(t, "svc", p.Server)
		}},
		{"hang in user space", false, ipc.InjectHang, 0, func(t *testing.T, callErr error, _ uint64, took int64, runErr error) {
			assert.ErrorIs(t, callErr, ipc.ErrTimeout)
			assert.GreaterOrEqual(t, took, int64(timeout))
			assert.NoError(t, runErr)
		}},
		{"garbage in user space", false, ipc.InjectGarbage, 0, func(t *testing.T, callErr error, word uint64, _ int64, _ error) {
			if callErr == nil {
				assert.NotEqual(t, uint64(42), word, "the reply was scrambled")
			}
		}},
		{"garbage in the kernel", true, ipc.InjectGarbage, 0, func(t *testing.T, callErr error, word uint64, _ int64, _ error) {
			if callErr == nil {
				assert.NotEqual(t, uint64(42), word, "the reply was scrambled")
			}
		}},
		{"slow in user space", false, ipc.InjectSlow, 300_000, func(t *testing.T, callErr error, word uint64, took int64, _ error) {
			require.NoError(t, callErr)
			assert.Equal(t, uint64(42), word)
			assert.GreaterOrEqual(t, took, int64(300_000))
		}},
		{"slow past the timeout", false, ipc.InjectSlow, 5_000_000, func(t *testing.T, callErr error, _ uint64, took int64, _ error) {
			assert.ErrorIs(t, callErr, ipc.ErrTimeout)
			assert.Less(t, took, int64(2*timeout), "the caller gives up at its timeout, not at the slow reply")
		}},
		{"slow in the kernel", true, ipc.InjectSlow, 300_000, func(t *testing.T, callErr error, word uint64, took int64, _ error) {
			require.NoError(t, callErr)
			assert.Equal(t, uint64(42), word)
			assert.GreaterOrEqual(t, took, int64(300_000))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			callErr, word, took, runErr := injectRun(t, tc.inKernel, tc.kind, tc.param, timeout)
			tc.check(t, callErr, word, took, runErr)
		})
	}
}

func TestInjectBadArguments(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	k.Declare("svc")
	var unknown, badKind, noDelay error
	k.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
		unknown = sys.Inject("nope", ipc.InjectCrash, 0)
		badKind = sys.Inject("svc", 99, 0)
		noDelay = sys.Inject("svc", ipc.InjectSlow, 0)
	}})
	require.NoError(t, k.Run())
	assert.ErrorIs(t, unknown, ipc.ErrNoService)
	assert.ErrorIs(t, badKind, ipc.ErrInvalid)
	assert.ErrorIs(t, noDelay, ipc.ErrInvalid)
}

// A fault armed while the service's only instance hangs from an earlier
// one waits: the hung instance receives nothing. Armed says so (a
// harness must not take such a fault for struck), and Disarm withdraws
// it.
func TestArmedWaitsWhileTheInstanceHangs(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	_, err = k.Declare("svc")
	require.NoError(t, err)
	k.Spawn(ipc.TaskSpec{Name: "svc", Body: func(sys ipc.Sys) { ipc.Serve(sys, "svc", answer{}) }})
	type step struct {
		name          string
		armed         bool
		disarmed      bool
		disarmedAgain bool
	}
	var got []step
	k.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
		id, _ := sys.Lookup("svc")
		call := func() {
			var req, rep ipc.Message
			_ = sys.CallWith(ipc.ServiceEndpoint(id), &req, &rep, &ipc.Extra{TimeoutNs: 1_000_000})
		}
		require.NoError(t, sys.Inject("svc", ipc.InjectHang, 0))
		got = append(got, step{name: "armed, no request yet", armed: k.Armed("svc")})
		call()
		got = append(got, step{name: "struck by the first call", armed: k.Armed("svc")})
		require.NoError(t, sys.Inject("svc", ipc.InjectHang, 0))
		call()
		s := step{name: "armed again while the instance hangs, after a call", armed: k.Armed("svc")}
		s.disarmed, s.disarmedAgain = k.Disarm("svc"), k.Disarm("svc")
		got = append(got, s, step{name: "after Disarm", armed: k.Armed("svc")}, step{name: "no such service", armed: k.Armed("nosuch"), disarmed: k.Disarm("nosuch")})
	}})
	require.NoError(t, k.Run())
	want := []step{
		{name: "armed, no request yet", armed: true},
		{name: "struck by the first call"},
		{name: "armed again while the instance hangs, after a call", armed: true, disarmed: true},
		{name: "after Disarm"},
		{name: "no such service"},
	}
	if !assert.Equal(t, want, got) {
		t.Errorf("Armed/Disarm steps = %+v, want %+v", got, want)
	}
}
