//go:build !js

package cluster_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/gatewayproto"
	"github.com/mkos/mkos/ipc/linux"
)

// echoMoves: echo runs on a, b has it on standby, the client is on c.
const echoMoves = `
mode: micro
workload: {clients: 0}
cluster: {timeout: 5ms}
nodes:
  - {name: a, servers: [{name: echo}]}
  - {name: b, servers: [{name: echo, standby: true}]}
  - {name: c, servers: []}
`

// A server moves to another node with its state while a client on a
// third node calls it in a loop: no call fails, and the count of echoes
// served (echo's state) goes on from where it was.
func TestMoveKeepsStateAndClients(t *testing.T) {
	c := newCluster(t, echoMoves)
	const calls, moveAtNs = 20, 10_500_000
	var out []outcome
	var served uint64
	var servedErr, moveErr error
	user := ipc.UserPriv()
	_, err := c.Node("c").System.Kernel.Spawn(ipc.TaskSpec{Name: "caller", Priv: &user, Body: func(sys ipc.Sys) {
		dst, err := ipc.Dial(sys, echoproto.Name)
		require.NoError(t, err)
		in, got := []byte("moving"), make([]byte, 16)
		for range calls {
			sys.Sleep(1_000_000)
			n, err := echoproto.Call(sys, dst, in, got)
			if err == nil && string(got[:n]) != string(in) {
				err = ipc.ErrBadReply
			}
			out = append(out, outcome{sys.Now(), err})
		}
		served, servedErr = echoproto.Served(sys, dst)
	}})
	require.NoError(t, err)
	_, err = c.Node("a").System.Kernel.Spawn(ipc.TaskSpec{Name: "mover", Body: func(sys ipc.Sys) {
		sys.Sleep(moveAtNs)
		gw, err := ipc.Dial(sys, gatewayproto.Name)
		require.NoError(t, err)
		moveErr = gatewayproto.MoveTo(sys, gw, echoproto.Name, "b")
	}})
	require.NoError(t, err)
	_, err = c.Run()
	require.NoError(t, err)
	require.NoError(t, moveErr, "the move")
	assert.Equal(t, map[ipc.Errno]int{0: calls}, errnos(out), "the calls across the move: %v", out)
	require.NoError(t, servedErr)
	assert.Equal(t, uint64(calls), served, "echoes served, counted on a then on b")
	t.Logf("echo requests: a %d, b %d", requests(t, c, "a", "echo"), requests(t, c, "b", "echo"))
	assert.Positive(t, requests(t, c, "b", "echo"), "b served echo after the move")
	assert.Less(t, requests(t, c, "b", "echo"), int64(calls+1), "b did not serve them all")
}

// A move is root's, of a service running here, to another node that has
// it on standby; anything else is refused and echo serves on.
func TestMoveRefusals(t *testing.T) {
	tests := []struct {
		name      string
		uid       uint32
		svc, node string
		want      ipc.Errno
	}{
		{"not root", 1000, "echo", "b", linux.EPERM},
		{"to itself", 0, "echo", "a", linux.EINVAL},
		{"a bad node name", 0, "echo", "b.x", linux.EINVAL},
		{"not running here", 0, "null", "b", linux.ENOENT},
		{"a node without it on standby", 0, "echo", "c", linux.ENOENT},
		{"a node that does not exist", 0, "echo", "zz", ipc.ErrNoInstance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t, echoMoves)
			var moveErr, afterErr error
			cred := ipc.Cred{UID: tt.uid, GID: tt.uid}
			_, err := c.Node("a").System.Kernel.Spawn(ipc.TaskSpec{Name: "mover", Cred: &cred, Body: func(sys ipc.Sys) {
				gw, err := ipc.Dial(sys, gatewayproto.Name)
				require.NoError(t, err)
				moveErr = gatewayproto.MoveTo(sys, gw, tt.svc, tt.node)
				dst, _ := ipc.Dial(sys, echoproto.Name)
				_, afterErr = echoproto.Call(sys, dst, []byte("x"), make([]byte, 1))
			}})
			require.NoError(t, err)
			_, err = c.Run()
			require.NoError(t, err)
			assert.ErrorIs(t, moveErr, tt.want)
			assert.NoError(t, afterErr, "echo after the refused move")
			assert.Positive(t, requests(t, c, "a", "echo"), "echo served on a")
		})
	}
}

// A server moved away can move back: the first node's rs still knows it,
// stopped, and its subscriptions are reused.
func TestMoveThereAndBack(t *testing.T) {
	c := newCluster(t, echoMoves)
	var out []outcome
	caller(t, c, 30, 1_000_000, &out)
	var there, back error
	for _, step := range []struct {
		node, to string
		atNs     int64
		err      *error
	}{{"a", "b", 10_500_000, &there}, {"b", "a", 20_500_000, &back}} {
		_, err := c.Node(step.node).System.Kernel.Spawn(ipc.TaskSpec{Name: "mover", Body: func(sys ipc.Sys) {
			sys.Sleep(step.atNs)
			gw, _ := ipc.Dial(sys, gatewayproto.Name)
			*step.err = gatewayproto.MoveTo(sys, gw, echoproto.Name, step.to)
		}})
		require.NoError(t, err)
	}
	_, err := c.Run()
	require.NoError(t, err)
	require.NoError(t, there, "a → b")
	require.NoError(t, back, "b → a")
	assert.Equal(t, map[ipc.Errno]int{0: 30}, errnos(out), "the calls: %v", out)
	assert.Positive(t, requests(t, c, "b", "echo"), "b served echo between the moves")
}
