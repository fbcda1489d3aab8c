package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// However a task dies, every task blocked on it is released with ErrDead,
// and the supervisor is notified with a notice saying how it died.
func TestDeathReleasesBlockedTasks(t *testing.T) {
	const dieAt = 100_000
	tests := []struct {
		name      string
		die       func(sys ipc.Sys) // run by the victim at dieAt; nil: killed
		wantCause string
		wantCode  int
	}{
		{"return from body", func(ipc.Sys) {}, "exit", 0},
		{"exit with a code", func(sys ipc.Sys) { sys.Exit(3) }, "exit", 3},
		{"panic in body", func(ipc.Sys) { panic("boom") }, "panic: boom", -1},
		{"killed", nil, "killed", 137},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var (
				deaths  []ipc.Death
				notes   int
				errs    = map[string]error{}
				killErr error
			)
			spawn(t, k, "supervisor", superviseInto(&deaths, &notes))
			victim := spawn(t, k, "victim", func(sys ipc.Sys) {
				var req ipc.Message
				if sys.Receive(ipc.Any, &req) != nil { // the "awaiting" call
					return
				}
				if tt.die == nil {
					sys.Sleep(forever)
					return
				}
				sys.Sleep(dieAt)
				tt.die(sys)
			})
			blocked := map[string]func(sys ipc.Sys) error{
				"awaiting reply": func(sys ipc.Sys) error {
					var rep ipc.Message
					return sys.Call(victim, word(tPing, 1), &rep)
				},
				"queued call": func(sys ipc.Sys) error {
					sys.Sleep(1000)
					var rep ipc.Message
					return sys.Call(victim, word(tPing, 2), &rep)
				},
				"queued send": func(sys ipc.Sys) error {
					sys.Sleep(1000)
					return sys.Send(victim, word(tPing, 3))
				},
				"receiving from it": func(sys ipc.Sys) error {
					sys.Sleep(1000)
					var m ipc.Message
					return sys.Receive(victim, &m)
				},
			}
			for _, name := range []string{"awaiting reply", "queued call", "queued send", "receiving from it"} {
				errs[name] = ipc.ErrNoSys // overwritten when the call returns
				spawn(t, k, name, func(sys ipc.Sys) { errs[name] = blocked[name](sys) })
			}
			if tt.die == nil {
				spawn(t, k, "killer", func(sys ipc.Sys) {
					sys.Sleep(dieAt)
					killErr = sys.Kill(victim)
				})
			}
			run(t, k)

			for name, err := range errs {
				assert.ErrorIs(t, err, ipc.ErrDead, name)
			}
			assert.NoError(t, killErr)
			assert.Nil(t, k.Task(victim), "the victim is still alive")
			var notice *ipc.Death
			for i := range deaths {
				if deaths[i].Task == victim {
					notice = &deaths[i]
				}
			}
			require.NotNil(t, notice, "no death notice for the victim in %+v", deaths)
			assert.Equal(t, "victim", notice.Name)
			assert.Equal(t, tt.wantCause, notice.Cause)
			assert.Equal(t, tt.wantCode, notice.Code)
			assert.GreaterOrEqual(t, notice.TimeNs, int64(dieAt))
			assert.Positive(t, notes, "NotifyDeath notifications")
			wantNotices := 5 // the victim and the four it released
			if tt.die == nil {
				wantNotices++ // and the killer
			}
			assert.Equal(t, wantNotices, len(deaths), "death notices")
		})
	}
}

// A supervisor that spawns a new instance when the old one dies keeps the
// service answering; callers of the dead instance see ErrServiceDied.
func TestSupervisorRestartsServer(t *testing.T) {
	k := boot(t, kernel.Config{})
	var (
		instances []ipc.Endpoint
		errs      []error
		servedBy  []ipc.Endpoint
	)
	spawn(t, k, "rs", func(sys ipc.Sys) {
		if !assert.NoError(t, sys.Supervise()) {
			return
		}
		start := func() {
			ep, err := sys.Spawn(ipc.TaskSpec{Name: "echo", Body: serve("echo", testServer)})
			assert.NoError(t, err)
			instances = append(instances, ep)
		}
		start()
		for {
			var m ipc.Message
			if sys.Receive(ipc.Any, &m) != nil {
				return
			}
			if m.Type != ipc.Notification || m.Word(0)&ipc.NotifyDeath == 0 {
				continue
			}
			for d, ok := sys.NextDeath(); ok; d, ok = sys.NextDeath() {
				if d.Name == "echo" {
					start()
				}
			}
		}
	})
	spawn(t, k, "client", func(sys ipc.Sys) {
		sys.Sleep(1000)
		dst := service(t, sys, "echo")
		for _, typ := range []ipc.Type{tWho, tCrash, tWho, tWho} {
			var rep ipc.Message
			errs = append(errs, sys.Call(dst, word(typ, 0), &rep))
			servedBy = append(servedBy, ipc.Endpoint(rep.Word(0)))
		}
	})
	run(t, k)
	require.Len(t, instances, 2, "instances started")
	assert.Equal(t, []error{nil, ipc.ErrServiceDied, nil, nil}, errs)
	assert.Equal(t, instances[0], servedBy[0])
	assert.Equal(t, instances[1], servedBy[2])
	assert.Equal(t, instances[1], servedBy[3])
	assert.Nil(t, k.Task(instances[0]))
	st := serviceInfo(t, k, "echo").Stats
	assert.Equal(t, int64(1), st.Restarts)
	assert.Equal(t, int64(4), st.Requests)
	assert.Equal(t, int64(1), st.Errors)
	assertSettled(t, st)
}

// Only the supervisor reads death notices.
func TestNextDeathNeedsSupervisor(t *testing.T) {
	k := boot(t, kernel.Config{})
	var (
		deaths    []ipc.Death
		notes     int
		stolen    bool
		stolenErr error
	)
	spawn(t, k, "supervisor", superviseInto(&deaths, &notes))
	spawn(t, k, "short", func(ipc.Sys) {})
	spawn(t, k, "thief", func(sys ipc.Sys) {
		_, stolen = sys.NextDeath()
		stolenErr = sys.Sleep(1) // still a working task afterwards
	})
	run(t, k)
	assert.False(t, stolen, "a task that is not the supervisor read a notice")
	assert.NoError(t, stolenErr)
	names := []string{}
	for _, d := range deaths {
		names = append(names, d.Name)
	}
	assert.Equal(t, []string{"short", "thief"}, names)
}

func TestKeepAliveRespawnsTheSupervisor(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	var seen []string
	lives := 0
	_, err = k.KeepAlive(ipc.TaskSpec{Name: "rs", Body: func(sys ipc.Sys) {
		lives++
		require.NoError(t, sys.Supervise())
		var m ipc.Message
		for sys.Receive(ipc.KernelEndpoint, &m) == nil {
			for d, ok := sys.NextDeath(); ok; d, ok = sys.NextDeath() {
				seen = append(seen, d.Name)
				if d.Name == "victim" {
					panic("rs has a bug") // the kernel must bring rs back
				}
			}
		}
	}})
	require.NoError(t, err)
	_, err = k.KeepAlive(ipc.TaskSpec{Name: "other", Body: func(ipc.Sys) {}})
	assert.Error(t, err, "only one task is kept alive")
	k.Spawn(ipc.TaskSpec{Name: "victim", Body: func(sys ipc.Sys) { sys.Sleep(1000) }})
	k.Spawn(ipc.TaskSpec{Name: "later", Body: func(sys ipc.Sys) { sys.Sleep(5000) }})
	require.NoError(t, k.Run())
	assert.Equal(t, 2, lives, "rs came back once")
	assert.Equal(t, []string{"victim", "rs", "later"}, seen, "the new rs reads the notices its predecessor missed, its own death included")
}

func TestShutdownWithoutRun(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	ran := false
	k.Spawn(ipc.TaskSpec{Name: "never", Body: func(ipc.Sys) { ran = true }})
	k.Shutdown() // goleak (TestMain) fails the package if its coroutine outlives this
	k.Shutdown()
	assert.ErrorIs(t, k.Run(), kernel.ErrEnded)
	assert.False(t, ran)
}

// A body that ends with an ipc.Fault dies with that cause and status word
// for word, as a server process's proxy reports its process's death; any
// other panic is "panic: …".
func TestFaultNamesTheDeath(t *testing.T) {
	k := boot(t, kernel.Config{})
	var deaths []ipc.Death
	var notes int
	spawn(t, k, "supervisor", superviseInto(&deaths, &notes))
	spawn(t, k, "proxy", func(ipc.Sys) { panic(ipc.Fault{Cause: "killed by SIGKILL", Code: 137}) })
	spawn(t, k, "plain", func(ipc.Sys) { panic("boom") })
	run(t, k)
	got := map[string]ipc.Death{}
	for _, d := range deaths {
		got[d.Name] = d
	}
	for _, c := range []struct {
		name, cause string
		code        int
	}{{"proxy", "killed by SIGKILL", 137}, {"plain", "panic: boom", -1}} {
		assert.Equal(t, c.cause, got[c.name].Cause, "%s: Death.Cause", c.name)
		assert.Equal(t, c.code, got[c.name].Code, "%s: Death.Code", c.name)
	}
}
