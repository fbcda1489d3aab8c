package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// The routing rule picks between a service's local and remote instances.
func TestRemoteRouting(t *testing.T) {
	tests := []struct {
		name          string
		route         ipc.RoutePolicy
		local, remote bool
		fromGateway   bool // the caller is itself a remote instance (of another service)
		want          string
		wantErr       ipc.Errno
	}{
		{"local-first, both", ipc.RouteLocalFirst, true, true, false, "local", 0},
		{"local-first, remote only", ipc.RouteLocalFirst, false, true, false, "remote", 0},
		{"remote-first, both", ipc.RouteRemoteFirst, true, true, false, "remote", 0},
		{"remote-first, local only", ipc.RouteRemoteFirst, true, false, false, "local", 0},
		{"local-only, remote only", ipc.RouteLocalOnly, false, true, false, "", ipc.ErrNoInstance},
		{"a gateway never goes round the wire", ipc.RouteRemoteFirst, false, true, true, "", ipc.ErrNoInstance},
		{"a gateway reaches the local instance", ipc.RouteRemoteFirst, true, true, true, "local", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{Route: tt.route, ServiceWaitNs: 1_000_000})
			eps := map[ipc.Endpoint]string{}
			if tt.local {
				eps[spawn(t, k, "local", serve("svc", testServer))] = "local"
			}
			if tt.remote {
				eps[spawn(t, k, "remote", serve(ipc.RemoteName("svc"), testServer))] = "remote"
			}
			var got string
			var err error
			spawn(t, k, "client", func(sys ipc.Sys) {
				sys.Sleep(1000)
				if tt.fromGateway {
					_, err := sys.Register(ipc.RemoteName("other"))
					require.NoError(t, err)
				}
				var rep ipc.Message
				err = sys.Call(service(t, sys, "svc"), word(tWho, 0), &rep)
				got = eps[ipc.Endpoint(rep.Word(0))]
			})
			run(t, k)
			assertErrno(t, tt.wantErr, err)
			assert.Equal(t, tt.want, got, "the instance that served")
		})
	}
}

// Registering a remote instance needs KRemote; a local instance that
// registers later takes the next request (local-first), and a dead remote
// instance takes none.
func TestRemoteRegistration(t *testing.T) {
	k := boot(t, kernel.Config{ServiceWaitNs: 1_000_000})
	user := ipc.UserPriv()
	var userErr error
	spawnSpec(t, k, ipc.TaskSpec{Name: "user", Priv: &user, Body: func(sys ipc.Sys) {
		_, userErr = sys.Register(ipc.RemoteName("svc"))
	}})
	gw := spawn(t, k, "remote", serve(ipc.RemoteName("svc"), testServer))
	var first, second, third ipc.Endpoint
	var thirdErr error
	spawn(t, k, "client", func(sys ipc.Sys) {
		sys.Sleep(1000)
		dst := service(t, sys, "svc")
		var rep ipc.Message
		require.NoError(t, sys.Call(dst, word(tWho, 0), &rep))
		first = ipc.Endpoint(rep.Word(0))
		ep, err := sys.Spawn(ipc.TaskSpec{Name: "local", Body: serve("svc", testServer)})
		require.NoError(t, err)
		sys.Sleep(1000)
		require.NoError(t, sys.Call(dst, word(tWho, 0), &rep))
		second = ipc.Endpoint(rep.Word(0))
		require.NoError(t, sys.Kill(ep))
		require.NoError(t, sys.Kill(gw))
		rep = ipc.Message{}
		thirdErr = sys.Call(dst, word(tWho, 0), &rep)
		third = ipc.Endpoint(rep.Word(0))
	})
	run(t, k)
	assertErrno(t, ipc.ErrPerm, userErr, "a user registering a remote instance")
	assert.Equal(t, gw, first, "with only a remote instance, it serves")
	assert.NotEqual(t, gw, second, "a local instance wins")
	assert.NotZero(t, second)
	assertErrno(t, ipc.ErrNoInstance, thirdErr, "with both instances dead")
	assert.Zero(t, third)
	si := serviceInfo(t, k, "svc")
	assert.Empty(t, si.Remotes, "a dead remote instance is unregistered")
}
