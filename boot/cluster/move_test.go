//go:build !js

package cluster_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/gatewayproto"
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
