package tests

// Live update under load (docs/liveupdate.md): clients call a server
// without pause while rs updates it again and again, once to a faulty
// version that is rolled back. No call may fail and no state may be lost.

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
	"github.com/mkos/mkos/kernel"
)

// campaign is one live-update campaign against a service.
type campaign struct {
	service string
	updates int
	faulty  string // the implementation of the middle update, rolled back; "" none
	clients int
	// client is one client's loop: it calls while *running and counts
	// its calls and failures in *r.
	client func(sys ipc.Sys, id int, running *bool, r *loadResult)
	// check runs once the updates are done: an error is lost state.
	check func(sys ipc.Sys, r *loadResult) error
	// booted, when set, is given the system before it runs.
	booted func(s *boot.System)
}

// loadResult is what a campaign saw.
type loadResult struct {
	calls, failed int
	hows          []string // how each update went, in order
	errs          []error  // failed updates, and what check found
	perClient     map[int]int
	finished      int  // clients whose loop ended
	checked       bool // the check ran: every client finished
}

// run boots cfg, runs the campaign and returns what it saw.
func (c campaign) run(t *testing.T, cfg boot.Config) loadResult {
	t.Helper()
	return c.runTraced(t, cfg, nil)
}

// runTraced is run with a tracer.
func (c campaign) runTraced(t *testing.T, cfg boot.Config, tr kernel.Tracer) loadResult {
	t.Helper()
	cfg.Workload = boot.WorkloadConf{}
	cfg.MaxTime = boot.Duration(20 * time.Second)
	s, err := boot.Boot(cfg, tr)
	require.NoError(t, err)
	defer s.Close()
	if cfg.Disk != nil {
		require.NoError(t, s.FormatDisk())
	}
	if c.booted != nil {
		c.booted(s)
	}
	r := loadResult{perClient: map[int]int{}}
	running := true
	for i := 0; i < c.clients; i++ {
		_, err := s.Kernel.Spawn(ipc.TaskSpec{Name: fmt.Sprintf("client%d", i), Body: func(sys ipc.Sys) {
			c.client(sys, i, &running, &r)
			r.finished++
		}})
		require.NoError(t, err)
	}
	_, err = s.Kernel.Spawn(ipc.TaskSpec{Name: "updater", Body: func(sys ipc.Sys) {
		defer func() { running = false }()
		rsc, err := rsproto.Dial(sys)
		if err != nil {
			r.errs = append(r.errs, err)
			return
		}
		_ = sys.Sleep(50_000)
		for i := 0; i < c.updates; i++ {
			impl := ""
			if i == c.updates/2 {
				impl = c.faulty
			}
			_ = sys.Sleep(10_000)
			u, err := rsc.Update(c.service, impl)
			if err != nil {
				r.errs = append(r.errs, err)
			}
			r.hows = append(r.hows, u.How.String())
		}
		running = false
		for r.finished < c.clients {
			_ = sys.Sleep(50_000) // the clients' last calls
		}
		r.checked = true
		if err := c.check(sys, &r); err != nil {
			r.errs = append(r.errs, err)
		}
	}})
	require.NoError(t, err)
	_, err = s.Run()
	require.NoError(t, err)
	return r
}

// assertClean asserts what every campaign must give: each update moved
// the state but the faulty one, rolled back; no call failed; the check
// found nothing lost.
func (c campaign) assertClean(t *testing.T, r loadResult) {
	t.Helper()
	assert.True(t, r.checked, "every client finished (%d of %d), and the check ran", r.finished, c.clients)
	assert.Empty(t, r.errs, "failed updates and lost state")
	require.Len(t, r.hows, c.updates)
	for i, how := range r.hows {
		want := "moved"
		if i == c.updates/2 && c.faulty != "" {
			want = "rolled back"
		}
		assert.Equal(t, want, how, "update %d", i+1)
	}
	assert.Greater(t, r.calls, c.updates, "calls made during the updates")
	assert.Zero(t, r.failed, "failed calls")
}

// echoCampaign: the clients echo; echo's count of requests served is
// every call made.
func echoCampaign(updates int) campaign {
	return campaign{service: echoproto.Name, updates: updates, faulty: "echo-faulty", clients: 3,
		client: func(sys ipc.Sys, _ int, running *bool, r *loadResult) {
			echo, _ := ipc.Dial(sys, echoproto.Name)
			out := make([]byte, 8)
			for *running {
				r.calls++
				if n, err := echoproto.Call(sys, echo, []byte("hi"), out); err != nil || n != 2 {
					r.failed++
				}
				_ = sys.Sleep(2_000)
			}
		},
		check: func(sys ipc.Sys, r *loadResult) error {
			echo, _ := ipc.Dial(sys, echoproto.Name)
			served, err := echoproto.Served(sys, echo)
			if err == nil && served != uint64(r.calls) {
				err = fmt.Errorf("echo served %d requests, the clients made %d", served, r.calls)
			}
			return err
		}}
}

// fsCampaign: each client holds a descriptor open across every update,
// appending a numbered line per call, and another it reads its own file
// back through (its offset must survive); at the end each file holds
// every line once, in order.
func fsCampaign(updates int) campaign {
	return campaign{service: fsproto.Name, updates: updates, clients: 2,
		client: func(sys ipc.Sys, id int, running *bool, r *loadResult) {
			c, _ := fsproto.Dial(sys)
			name := fmt.Sprintf("/c%d", id)
			w, err := c.Open(name, linux.O_WRONLY|linux.O_CREAT|linux.O_APPEND, 0o644)
			rd, err2 := c.Open(name, linux.O_RDONLY, 0)
			if err != nil || err2 != nil {
				r.failed++
				return
			}
			var back []byte
			buf := make([]byte, 64)
			for n := 0; *running; n++ {
				r.calls += 2
				line := fmt.Sprintf("%d\n", n)
				if _, err := c.Write(w, []byte(line)); err != nil {
					r.failed++
				}
				got, err := c.Read(rd, buf)
				if err != nil {
					r.failed++
				}
				back = append(back, buf[:got]...)
				r.perClient[id] = n + 1
				_ = sys.Sleep(3_000)
			}
			if !bytes.Equal(back, lines(r.perClient[id])[:len(back)]) {
				r.failed++ // read back something else than was written, at the offset kept
			}
		},
		check: func(sys ipc.Sys, r *loadResult) error {
			c, _ := fsproto.Dial(sys)
			for id := range len(r.perClient) { // in order: the run must not depend on a map's
				n := r.perClient[id]
				data, err := c.ReadFile(fmt.Sprintf("/c%d", id))
				if err != nil {
					return err
				}
				if want := lines(n); !bytes.Equal(data, want) {
					return fmt.Errorf("/c%d: %d bytes, want %d: %q…", id, len(data), len(want), strings.SplitN(string(data), "\n", 3))
				}
			}
			return nil
		}}
}

// lines returns "0\n1\n…" up to n-1.
func lines(n int) []byte {
	var b []byte
	for i := 0; i < n; i++ {
		b = fmt.Appendf(b, "%d\n", i)
	}
	return b
}

// placements are the placements of a user-space server that a live
// update must work in: micro, and hybrid with the server placed in user
// space (the process placement is in liveupdate_process_test.go).
var updatePlacements = []struct {
	name      string
	mode      boot.Mode
	placement string
}{
	{"micro", boot.Micro, ""},
	{"hybrid-user", boot.Hybrid, "user"},
}

func TestLiveUpdateEchoUnderLoad(t *testing.T) {
	for _, p := range updatePlacements {
		t.Run(p.name, func(t *testing.T) {
			c := echoCampaign(loadUpdates)
			cfg := boot.Default()
			cfg.Mode = p.mode
			cfg.Servers = []boot.ServerConf{{Name: echoproto.Name, Placement: p.placement}}
			c.assertClean(t, c.run(t, cfg))
		})
	}
}

func TestLiveUpdateFileServerUnderLoad(t *testing.T) {
	for _, p := range updatePlacements {
		t.Run(p.name, func(t *testing.T) {
			c := fsCampaign(loadUpdates)
			c.assertClean(t, c.run(t, fsConfig(p.mode, p.placement)))
		})
	}
}

// fsConfig is the file server alone on an SSD, placed as given.
func fsConfig(mode boot.Mode, placement string) boot.Config {
	cfg := boot.Default()
	cfg.Mode = mode
	cfg.Servers = []boot.ServerConf{{Name: fsproto.Name, Placement: placement}}
	cfg.Disk = &boot.DiskConf{Size: 16 << 20, Kind: hw.KindSSD}
	return cfg
}

// One seed reproduces a run with live updates byte for byte: the states
// cross in the same bytes, the held requests go on in the same order —
// for each stateful server, on two CPUs.
func TestLiveUpdateDeterminism(t *testing.T) {
	tests := []struct {
		name string
		c    func(updates int) campaign // a new one each run: ds's and pipe's keep what they saw
		cfg  func() boot.Config
	}{
		{"echo", echoCampaign, func() boot.Config { return boot.Default() }},
		{"fs", fsCampaign, func() boot.Config { return fsConfig(boot.Micro, "") }},
		{"ds", dsCampaign, func() boot.Config {
			cfg := boot.Default()
			cfg.Servers = []boot.ServerConf{{Name: "ds"}}
			return cfg
		}},
		{"pipe", pipeCampaign, func() boot.Config {
			cfg := boot.Default()
			cfg.Servers = []boot.ServerConf{{Name: "pipe"}}
			return cfg
		}},
		{"mm", mmCampaign, func() boot.Config {
			cfg := boot.Default()
			cfg.Servers = []boot.ServerConf{{Name: "mm"}}
			cfg.Memory.Frames, cfg.Memory.Resident = 96, 16
			return cfg
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var traces [2]bytes.Buffer
			for i := range traces {
				cfg := tt.cfg()
				cfg.Mode, cfg.CPUs = boot.Micro, 2
				tr := kernel.NewJSONTracer(&traces[i])
				c := tt.c(10)
				c.assertClean(t, c.runTraced(t, cfg, tr))
				require.NoError(t, tr.Flush())
			}
			require.Contains(t, traces[0].String(), `"update"`, "the trace has the updates")
			assert.True(t, bytes.Equal(traces[0].Bytes(), traces[1].Bytes()), "two runs: traces differ (%d and %d bytes)", traces[0].Len(), traces[1].Len())
		})
	}
}

// A service of two instances is updated one instance at a time: the two
// counts, each moved to its instance's successor, add up to every call.
func TestLiveUpdateTwoInstances(t *testing.T) {
	c := echoCampaign(loadUpdates / 2)
	cfg := boot.Default()
	cfg.Mode = boot.Micro
	cfg.Servers = []boot.ServerConf{{Name: echoproto.Name, Instances: 2}}
	var s *boot.System
	c.check = func(sys ipc.Sys, r *loadResult) error {
		var sum uint64
		eps := instancesOf(s, echoproto.Name)
		if len(eps) != 2 {
			return fmt.Errorf("echo has instances %v, want 2", eps)
		}
		for _, ep := range eps {
			n, err := echoproto.Served(sys, ep)
			if err != nil {
				return err
			}
			sum += n
		}
		if sum != uint64(r.calls) {
			return fmt.Errorf("the instances served %d requests, the clients made %d", sum, r.calls)
		}
		return nil
	}
	c.booted = func(sys *boot.System) { s = sys }
	c.assertClean(t, c.run(t, cfg))
}

// instancesOf returns the live instances of service name, from the bus.
func instancesOf(s *boot.System, name string) []ipc.Endpoint {
	for _, si := range s.Kernel.Services() {
		if si.Name == name {
			return si.Instances
		}
	}
	return nil
}
