package net_test

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/ipc/streamproto"
	"github.com/mkos/mkos/kernel"
	netsrv "github.com/mkos/mkos/servers/net"
)

// bootNet returns a kernel with a net server (loopback only) in a task.
func bootNet(t *testing.T) (*kernel.Kernel, *netsrv.Server) {
	t.Helper()
	k, err := kernel.New(kernel.Config{Seed: 1})
	require.NoError(t, err)
	srv := netsrv.New(netsrv.Config{})
	t.Cleanup(srv.Close)
	_, err = k.Declare(netproto.Name)
	require.NoError(t, err)
	_, err = k.Spawn(ipc.TaskSpec{Name: "net", Body: func(sys ipc.Sys) {
		_ = ipc.Serve(sys, netproto.Name, srv) // Serve calls srv.Start
	}})
	require.NoError(t, err)
	return k, srv
}

// clients returns the socket and stream clients of the net server.
func clients(t *testing.T, sys ipc.Sys) (netproto.Client, streamproto.Client) {
	n, err := netproto.Dial(sys)
	require.NoError(t, err)
	return n, streamproto.Client{Sys: sys, Dst: n.Dst}
}

// listener makes a socket listening on a.
func listener(t *testing.T, n netproto.Client, a netip.AddrPort) netproto.Handle {
	ls, err := n.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
	require.NoError(t, err)
	require.NoError(t, n.Bind(ls, a))
	require.NoError(t, n.Listen(ls, 4))
	return ls
}

// A poller armed on a listening socket gets PollBit when a connection
// comes, within the IPC costs of the connect, and the registration goes;
// a poller killed while armed leaves none either.
func TestArmedSocketWakesAndDeadPollerLeavesNone(t *testing.T) {
	k, srv := bootNet(t)
	a := netip.MustParseAddrPort("127.0.0.1:9000")
	var armed, deadArmed bool
	var woke uint64
	var wokeAt, connectedAt int64
	listening := false
	_, err := k.Spawn(ipc.TaskSpec{Name: "poller", Body: func(sys ipc.Sys) {
		n, s := clients(t, sys)
		ls := listener(t, n, a)
		listening = true
		var err error
		_, armed, err = s.ReadyAndArm(streamproto.Handle(ls), linux.POLLIN)
		assert.NoError(t, err)
		var m ipc.Message
		assert.NoError(t, sys.Receive(ipc.KernelEndpoint, &m))
		woke, wokeAt = m.Word(0), sys.Now()
	}})
	require.NoError(t, err)
	_, err = k.Spawn(ipc.TaskSpec{Name: "dialer", Body: func(sys ipc.Sys) {
		n, _ := clients(t, sys)
		for !listening {
			sys.Sleep(1000)
		}
		sys.Sleep(5_000_000 - sys.Now())
		c, err := n.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
		assert.NoError(t, err)
		assert.NoError(t, n.Connect(c, a))
		connectedAt = sys.Now()
		sys.Sleep(1_000_000)
	}})
	require.NoError(t, err)
	doomed, err := k.Spawn(ipc.TaskSpec{Name: "doomed", Body: func(sys ipc.Sys) {
		n, s := clients(t, sys)
		ls := listener(t, n, netip.MustParseAddrPort("127.0.0.1:9001"))
		var err error
		_, deadArmed, err = s.ReadyAndArm(streamproto.Handle(ls), linux.POLLIN)
		assert.NoError(t, err)
		sys.Sleep(1 << 50)
	}})
	require.NoError(t, err)
	armedBefore := -1
	_, err = k.Spawn(ipc.TaskSpec{Name: "killer", Body: func(sys ipc.Sys) {
		sys.Sleep(10_000_000)
		armedBefore = srv.Pollers()
		assert.NoError(t, sys.Kill(doomed))
		sys.Sleep(1_000_000)
	}})
	require.NoError(t, err)
	require.NoError(t, k.Run())
	assert.True(t, armed, "ReadyAndArm() on the listener armed")
	assert.True(t, deadArmed, "ReadyAndArm() of the doomed task armed")
	assert.Equal(t, streamproto.PollBit, woke, "the notification the poller got")
	assert.GreaterOrEqual(t, wokeAt, int64(5_000_000), "woke at")
	assert.Less(t, wokeAt-connectedAt, int64(20_000), "woke after the connect returned by (ns)")
	assert.Equal(t, 1, armedBefore, "Pollers() before the kill: the doomed task's")
	assert.Zero(t, srv.Pollers(), "Pollers() at the end")
}
