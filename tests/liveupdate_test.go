package tests

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/rsproto"
)

// updateLoad is what a run of echoUnderUpdates saw.
type updateLoad struct {
	calls, failed int      // echo calls made by the clients, and the ones that failed
	served        uint64   // echo's own count at the end: the state that must survive
	hows          []string // how each update went, in order
	errs          []error  // failed updates
}

// echoUnderUpdates boots cfg with echo alone, runs clients that call it
// without pause, and updates echo `updates` times, with one faulty
// version (echo-faulty, rolled back) in the middle.
func echoUnderUpdates(t *testing.T, cfg boot.Config, clients, updates int) updateLoad {
	t.Helper()
	cfg.Servers = []boot.ServerConf{{Name: "echo", Placement: cfg.Servers[0].Placement}}
	cfg.Workload = boot.WorkloadConf{}
	cfg.MaxTime = boot.Duration(10 * time.Second)
	s, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	defer s.Close()
	var got updateLoad
	running := true
	for i := 0; i < clients; i++ {
		_, err := s.Kernel.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
			echo, _ := ipc.Dial(sys, echoproto.Name)
			out := make([]byte, 8)
			for running {
				got.calls++
				if n, err := echoproto.Call(sys, echo, []byte("hi"), out); err != nil || n != 2 {
					got.failed++
				}
				_ = sys.Sleep(2_000)
			}
		}})
		require.NoError(t, err)
	}
	_, err = s.Kernel.Spawn(ipc.TaskSpec{Name: "updater", Body: func(sys ipc.Sys) {
		defer func() { running = false }()
		c, err := rsproto.Dial(sys)
		if err != nil {
			got.errs = append(got.errs, err)
			return
		}
		for i := 0; i < updates; i++ {
			impl := ""
			if i == updates/2 {
				impl = "echo-faulty"
			}
			_ = sys.Sleep(10_000)
			r, err := c.Update(echoproto.Name, impl)
			if err != nil {
				got.errs = append(got.errs, err)
			}
			got.hows = append(got.hows, r.How.String())
		}
		_ = sys.Sleep(10_000)
		echo, _ := ipc.Dial(sys, echoproto.Name)
		got.served, err = echoproto.Served(sys, echo)
		if err != nil {
			got.errs = append(got.errs, err)
		}
	}})
	require.NoError(t, err)
	_, err = s.Run()
	require.NoError(t, err)
	return got
}

// checkUpdates asserts what every live update under load must give:
// each update moved the state but the faulty one, rolled back; no call
// failed; echo's count is every call made.
func checkUpdates(t *testing.T, got updateLoad, updates int) {
	t.Helper()
	t.Logf("%d calls, echo served %d, %d updates", got.calls, got.served, len(got.hows))
	assert.Empty(t, got.errs, "failed updates")
	require.Len(t, got.hows, updates)
	for i, how := range got.hows {
		want := "moved"
		if i == updates/2 {
			want = "rolled back"
		}
		assert.Equal(t, want, how, "update %d", i+1)
	}
	assert.Greater(t, got.calls, updates*3, "calls made during the updates")
	assert.Zero(t, got.failed, "failed calls")
	assert.Equal(t, uint64(got.calls), got.served, "echo's count: calls lost to an update")
}

// Echo is updated 100 times (and once to a faulty version, rolled back)
// while three clients call it: no call fails, no count is lost, in micro
// mode and in hybrid mode with echo in user space.
func TestLiveUpdateUnderLoad(t *testing.T) {
	const updates = 100
	for _, mode := range []boot.Mode{boot.Micro, boot.Hybrid} {
		t.Run(string(mode), func(t *testing.T) {
			cfg := boot.Default()
			cfg.Mode = mode
			cfg.Servers[0].Placement = "user"
			checkUpdates(t, echoUnderUpdates(t, cfg, 3, updates), updates)
		})
	}
}
