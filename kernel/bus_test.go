package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// serviceInfo returns the listing of the named service.
func serviceInfo(t *testing.T, k *kernel.Kernel, name string) kernel.ServiceInfo {
	t.Helper()
	for _, s := range k.Services() {
		if s.Name == name {
			return s
		}
	}
	require.Failf(t, "no such service", "%q is not in Services()", name)
	return kernel.ServiceInfo{}
}

// assertSettled checks the invariants of a service's counters once every
// request has finished.
func assertSettled(t *testing.T, st kernel.ServiceStats) {
	t.Helper()
	assert.Zero(t, st.InFlight, "InFlight")
	var n int64
	for _, c := range st.Latency {
		n += c
	}
	assert.Equal(t, st.Requests-st.InFlight, n, "the latency histogram counts every finished request")
}

// Unknown names and ids are ErrNoService.
func TestLookupUnknownService(t *testing.T) {
	k := boot(t, kernel.Config{})
	var lookupErr, callErr error
	spawn(t, k, "client", func(sys ipc.Sys) {
		_, lookupErr = sys.Lookup("nope")
		var rep ipc.Message
		callErr = sys.Call(ipc.ServiceEndpoint(42), word(tPing, 1), &rep)
	})
	run(t, k)
	assert.ErrorIs(t, lookupErr, ipc.ErrNoService)
	assert.ErrorIs(t, callErr, ipc.ErrNoService)
	_, err := k.Lookup("nope")
	assert.ErrorIs(t, err, ipc.ErrNoService)
}

// A request to a service with no instance waits, bounded by
// Config.ServiceWaitNs, for one to register.
func TestServiceWaitsForInstance(t *testing.T) {
	const waitNs = 1_000_000
	tests := []struct {
		name    string
		startAt int64 // when the new instance starts; 0: never
		want    ipc.Errno
	}{
		{"an instance registers in time", waitNs / 2, 0},
		{"no instance in time", 0, ipc.ErrNoInstance},
		{"an instance registers too late", 2 * waitNs, ipc.ErrNoInstance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{ServiceWaitNs: waitNs})
			var (
				err        error
				t0, t1     int64
				rep        ipc.Message
				newSrv     ipc.Endpoint
				afterStart error
			)
			// The service exists, but its only instance is gone.
			spawn(t, k, "first", func(sys ipc.Sys) { _, _ = sys.Register("svc") })
			spawn(t, k, "client", func(sys ipc.Sys) {
				sys.Sleep(1000)
				dst := service(t, sys, "svc")
				t0 = sys.Now()
				err = sys.Call(dst, word(tWho, 1), &rep)
				t1 = sys.Now()
				if tt.startAt > 0 {
					sys.Sleep(3 * waitNs)
					afterStart = sys.Call(dst, word(tPing, 2), &ipc.Message{})
				}
			})
			spawn(t, k, "starter", func(sys ipc.Sys) {
				if tt.startAt == 0 {
					return
				}
				sys.Sleep(tt.startAt)
				newSrv, _ = sys.Spawn(ipc.TaskSpec{Name: "second", Body: serve("svc", testServer)})
			})
			run(t, k)
			assertErrno(t, tt.want, err)
			if tt.want == 0 {
				assert.Equal(t, uint64(newSrv), rep.Word(0), "served by the new instance")
				assert.GreaterOrEqual(t, t1, tt.startAt)
			} else {
				assert.GreaterOrEqual(t, t1-t0, int64(waitNs), "failed before the bound")
				assert.Less(t, t1-t0, int64(waitNs+1000), "failed after the bound")
			}
			assert.NoError(t, afterStart, "a call after the instance started")
			st := serviceInfo(t, k, "svc").Stats
			assertSettled(t, st)
			if tt.startAt > 0 {
				assert.Equal(t, int64(1), st.Restarts)
			}
		})
	}
}

// An instance that dies while serving fails its caller with
// ErrServiceDied; requests still queued on it go to another instance, or
// wait for a new one.
func TestInstanceDeath(t *testing.T) {
	tests := []struct {
		name string
		// other: start a second instance before the first dies;
		// restart: start one after it died.
		other, restart bool
	}{
		{"queued requests go to another instance", true, false},
		{"queued requests wait for a new instance", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var (
				servedErr       error
				queued          [2]error
				queuedBy        [2]uint64
				second, third   ipc.Endpoint
				firstInstanceEp ipc.Endpoint
			)
			// first takes one request, then dies at 100 µs without
			// receiving the two queued behind it.
			firstInstanceEp = spawn(t, k, "first", func(sys ipc.Sys) {
				_, e := sys.Register("svc")
				assert.NoError(t, e)
				var req ipc.Message
				if sys.Receive(ipc.Any, &req) != nil {
					return
				}
				sys.Sleep(100_000)
				panic("dies while serving")
			})
			spawn(t, k, "served", func(sys ipc.Sys) {
				var rep ipc.Message
				servedErr = sys.Call(service(t, sys, "svc"), word(tWho, 0), &rep)
			})
			for i := range queued {
				spawn(t, k, "queued", func(sys ipc.Sys) {
					sys.Sleep(1000)
					var rep ipc.Message
					queued[i] = sys.Call(service(t, sys, "svc"), word(tWho, 0), &rep)
					queuedBy[i] = rep.Word(0)
				})
			}
			spawn(t, k, "starter", func(sys ipc.Sys) {
				if tt.other {
					sys.Sleep(10_000)
					second, _ = sys.Spawn(ipc.TaskSpec{Name: "second", Body: serve("svc", testServer)})
				}
				if tt.restart {
					sys.Sleep(500_000)
					third, _ = sys.Spawn(ipc.TaskSpec{Name: "third", Body: serve("svc", testServer)})
				}
			})
			run(t, k)
			assert.ErrorIs(t, servedErr, ipc.ErrServiceDied)
			want := second
			if tt.restart {
				want = third
			}
			for i := range queued {
				assert.NoError(t, queued[i], "queued request %d", i)
				assert.Equal(t, uint64(want), queuedBy[i], "queued request %d served by", i)
			}
			assert.Nil(t, k.Task(firstInstanceEp))
			st := serviceInfo(t, k, "svc").Stats
			assertSettled(t, st)
			assert.Equal(t, int64(3), st.Requests)
			assert.Equal(t, int64(1), st.Errors)
			assert.Equal(t, map[bool]int64{false: 0, true: 1}[tt.restart], st.Restarts)
		})
	}
}

// With several instances the bus spreads requests over them, and the same
// run always spreads them the same way.
func TestInstancesShareRequestsDeterministically(t *testing.T) {
	tests := []struct {
		name    string
		clients int
		calls   int
		slowNs  int64 // handler time; 0 answers at once
	}{
		{"one client, idle instances in turn", 1, 6, 0},
		{"many clients, busy instances", 6, 1, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			once := func() (instances []ipc.Endpoint, servedBy []ipc.Endpoint) {
				k := boot(t, kernel.Config{})
				srv := handler(func(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
					ctx.Sys.Sleep(tt.slowNs)
					r := ipc.Reply(req)
					r.SetWord(0, uint64(ctx.Sys.Self()))
					return r
				})
				for i := 0; i < 3; i++ {
					instances = append(instances, spawn(t, k, "instance", serve("svc", srv)))
				}
				for c := 0; c < tt.clients; c++ {
					spawn(t, k, "client", func(sys ipc.Sys) {
						dst := service(t, sys, "svc")
						for i := 0; i < tt.calls; i++ {
							var rep ipc.Message
							assert.NoError(t, sys.Call(dst, word(tWho, 0), &rep))
							servedBy = append(servedBy, ipc.Endpoint(rep.Word(0)))
						}
					})
				}
				run(t, k)
				assertSettled(t, serviceInfo(t, k, "svc").Stats)
				return instances, servedBy
			}
			instances, first := once()
			_, second := once()
			require.Len(t, first, 6)
			assert.Equal(t, first, second, "two identical runs spread requests differently")
			count := map[ipc.Endpoint]int{}
			for _, ep := range first {
				count[ep]++
			}
			for _, ep := range instances {
				assert.Equal(t, 2, count[ep], "requests served by %v (all: %v)", ep, first)
			}
			if tt.slowNs == 0 {
				a, b, c := instances[0], instances[1], instances[2]
				assert.Equal(t, []ipc.Endpoint{a, b, c, a, b, c}, first, "idle instances take turns")
			}
		})
	}
}

// Per-service counters: requests, errors, in-flight, latency and restarts,
// in both placements.
func TestServiceCounters(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			pl.place(t, k, "svc", testServer)
			inKernel := pl.name == "in-kernel"
			var errs []error
			spawn(t, k, "client", func(sys ipc.Sys) {
				sys.Sleep(1000)
				dst := service(t, sys, "svc")
				call := func(typ ipc.Type) {
					var rep ipc.Message
					err := sys.Call(dst, word(typ, 0), &rep)
					if err == nil {
						err = rep.Err()
					}
					errs = append(errs, err)
				}
				for i := 0; i < 5; i++ {
					call(tPing)
				}
				call(tFail)
				call(tFail)
				errs = append(errs, sys.Send(dst, word(tPing, 0)))
				if inKernel {
					return
				}
				call(tCrash)
				// A supervisor would restart the instance; here the
				// client does, and its next call waits for it.
				_, err := sys.Spawn(ipc.TaskSpec{Name: "svc2", Body: serve("svc", testServer)})
				assert.NoError(t, err)
				for i := 0; i < 3; i++ {
					call(tPing)
				}
			})
			run(t, k)
			want := []error{nil, nil, nil, nil, nil, ipc.ErrInvalid, ipc.ErrInvalid, nil}
			wantStats := kernel.ServiceStats{Requests: 8, Errors: 2}
			if !inKernel {
				want = append(want, ipc.ErrServiceDied, nil, nil, nil)
				wantStats = kernel.ServiceStats{Requests: 12, Errors: 3, Restarts: 1}
			}
			assert.Equal(t, want, errs)
			info := serviceInfo(t, k, "svc")
			assert.Equal(t, inKernel, info.InKernel)
			st := info.Stats
			assertSettled(t, st)
			assert.Equal(t, wantStats.Requests, st.Requests, "Requests")
			assert.Equal(t, wantStats.Errors, st.Errors, "Errors")
			assert.Equal(t, wantStats.Restarts, st.Restarts, "Restarts")
			assert.GreaterOrEqual(t, st.MaxInFlight, int64(1), "MaxInFlight")
			assert.Positive(t, st.LatencyNs, "LatencyNs")
			assert.Equal(t, st.LatencyNs/(st.Requests-st.InFlight), st.MeanLatencyNs())
		})
	}
}

// Place refuses a name that already has instances, and Register refuses a
// name placed in the kernel: a service lives in one placement.
func TestPlacementIsExclusive(t *testing.T) {
	k := boot(t, kernel.Config{})
	_, err := k.Place("kern", testServer)
	require.NoError(t, err)
	var regErr error
	spawn(t, k, "user", func(sys ipc.Sys) {
		_, e := sys.Register("user")
		assert.NoError(t, e)
		_, regErr = sys.Register("kern")
	})
	run(t, k)
	assert.ErrorIs(t, regErr, ipc.ErrPerm)
	_, err = k.Place("kern", testServer)
	assert.ErrorIs(t, err, ipc.ErrPerm)
}

// A one-way Send to a service is a request that ends when an instance
// receives it, whether the instance was waiting or the Send was queued.
func TestSendToServiceEndsAtDelivery(t *testing.T) {
	tests := []struct {
		name   string
		busyNs int64 // the instance sleeps this long before receiving
	}{
		{"instance waiting", 0},
		{"send queued", 10_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var (
				got     []ipc.Message
				sendErr error
				rep     ipc.Message
			)
			spawn(t, k, "instance", func(sys ipc.Sys) {
				_, err := sys.Register("svc")
				assert.NoError(t, err)
				sys.Sleep(tt.busyNs)
				var m ipc.Message
				if sys.Receive(ipc.Any, &m) == nil {
					got = append(got, m)
				}
			})
			peer := spawn(t, k, "peer", func(sys ipc.Sys) {
				var req ipc.Message
				if sys.Receive(ipc.Any, &req) == nil {
					assert.NoError(t, sys.Reply(req.Source, word(tPing, 1)))
				}
			})
			spawn(t, k, "sender", func(sys ipc.Sys) {
				sys.Sleep(1000)
				sendErr = sys.Send(service(t, sys, "svc"), word(tPing, 1))
				// A later call to a task is not a bus request.
				assert.NoError(t, sys.Call(peer, word(tPing, 2), &rep))
			})
			run(t, k)
			require.NoError(t, sendErr)
			require.Len(t, got, 1)
			assert.NotZero(t, got[0].Service, "Service stamped on a routed message")
			assert.Zero(t, rep.Service, "a direct reply must not carry a service id")
			st := serviceInfo(t, k, "svc").Stats
			assertSettled(t, st)
			assert.Equal(t, int64(1), st.Requests)
			assert.Zero(t, st.Errors)
		})
	}
}
