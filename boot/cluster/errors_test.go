//go:build !js

package cluster_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/cluster"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/gatewayproto"
)

// echoOnB: echo runs on b only; a has no workload of its own.
const echoOnB = `
mode: micro
workload: {clients: 0}
cluster: {timeout: 2ms, hop_latency: 20us}
nodes:
  - name: a
    servers: []
  - name: b
    servers: [{name: echo}]
`

// outcome is one call's result at a virtual time.
type outcome struct {
	atNs int64
	err  error
}

// caller spawns on node a a client that calls echo (with a bulk window)
// every periodNs, n times, and records each outcome.
func caller(t *testing.T, c *cluster.Cluster, n int, periodNs int64, out *[]outcome) {
	t.Helper()
	user := ipc.UserPriv()
	_, err := c.Node("a").System.Kernel.Spawn(ipc.TaskSpec{Name: "caller", Priv: &user, Body: func(sys ipc.Sys) {
		dst, err := ipc.Dial(sys, echoproto.Name)
		if err != nil {
			*out = append(*out, outcome{sys.Now(), err})
			return
		}
		in, got := []byte("across the wire"), make([]byte, 64)
		for range n {
			sys.Sleep(periodNs)
			k, err := echoproto.Call(sys, dst, in, got)
			if err == nil && string(got[:k]) != string(in) {
				err = ipc.ErrBadReply
			}
			*out = append(*out, outcome{sys.Now(), err})
		}
	}})
	require.NoError(t, err)
}

func newCluster(t *testing.T, yaml string) *cluster.Cluster {
	t.Helper()
	cfg, err := boot.Parse([]byte(yaml))
	require.NoError(t, err)
	c, err := cluster.New(cfg, cluster.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// errnos counts the outcomes by errno (0: success).
func errnos(out []outcome) map[ipc.Errno]int {
	m := map[ipc.Errno]int{}
	for _, o := range out {
		m[ipc.ErrnoOf(o.err)]++
	}
	return m
}

// Failures on the wire reach the caller as the errors of a local call.
func TestCrossNodeErrors(t *testing.T) {
	const ms = 1_000_000
	tests := []struct {
		name  string
		fault func(c *cluster.Cluster)
		want  map[ipc.Errno]int
	}{
		{"no fault", func(*cluster.Cluster) {}, map[ipc.Errno]int{0: 10}},
		// Killed at 5.5 ms: the call in flight then times out, the
		// later ones find no responder.
		{"b killed", func(c *cluster.Cluster) { c.Kill("b", 5*ms+ms/2) },
			map[ipc.Errno]int{0: 5, ipc.ErrNoInstance: 5}},
		// Cut off from 3.5 ms to 8.5 ms: the calls then (at about 4 and
		// 7 ms) time out after 2 ms each, the ones after get through.
		{"b partitioned", func(c *cluster.Cluster) { c.Partition("b", 3*ms+ms/2, 8*ms+ms/2) },
			map[ipc.Errno]int{0: 8, ipc.ErrTimeout: 2}},
		// A link slower than the timeout: every call after it times out.
		{"slow link to b", func(c *cluster.Cluster) { c.Slow("b", 7*ms+ms/2, 3*ms) },
			map[ipc.Errno]int{0: 7, ipc.ErrTimeout: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t, echoOnB)
			var out []outcome
			caller(t, c, 10, ms, &out)
			tt.fault(c)
			_, err := c.Run()
			require.NoError(t, err)
			assert.Equal(t, tt.want, errnos(out), "outcomes by errno: %v", out)
		})
	}
}

// A server's errno crosses the wire as it is: echo's Crash kills the
// instance on b, and the caller on a sees ECONNRESET through its stub
// (ipc.Do), as it would at home. (A raw Sys.Call sees it in the reply's
// Errno: the kernel failed the gateway's call, not the caller's.)
func TestRemoteErrnoPassesThrough(t *testing.T) {
	c := newCluster(t, echoOnB)
	var crashErr, afterErr error
	user := ipc.UserPriv()
	_, err := c.Node("a").System.Kernel.Spawn(ipc.TaskSpec{Name: "crasher", Priv: &user, Body: func(sys ipc.Sys) {
		dst, _ := ipc.Dial(sys, echoproto.Name)
		_, crashErr = ipc.Do(sys, dst, &ipc.Message{Type: echoproto.Crash}, nil, echoproto.Errnos)
		sys.Sleep(1_000_000)
		_, afterErr = echoproto.Call(sys, dst, []byte("again"), make([]byte, 8))
	}})
	require.NoError(t, err)
	_, err = c.Run()
	require.NoError(t, err)
	assert.ErrorIs(t, crashErr, ipc.ErrServiceDied, "the crash")
	assert.NoError(t, afterErr, "a call after rs restarted echo on b")
}

// Hostile frames on the wire — garbage, truncated requests, forged
// replies — are dropped or answered with an errno; nothing panics and
// the honest calls go on.
func TestHostileFrames(t *testing.T) {
	c := newCluster(t, echoOnB)
	var out []outcome
	caller(t, c, 5, 1_000_000, &out)
	good := gatewayproto.AppendRequest(nil, &gatewayproto.Request{
		Header: gatewayproto.Header{Seq: 1, From: "x"}, Service: "echo", TimeoutNs: 1000,
		Msg: ipc.Message{Type: echoproto.Echo},
	})
	forged := gatewayproto.AppendReply(nil, &gatewayproto.Reply{Header: gatewayproto.Header{Seq: 1, From: "b"}, Recv: make([]byte, 1000)})
	frames := []struct {
		subject, reply string
		data           []byte
	}{
		{gatewayproto.Direct("mkos", "b", "echo"), "x.1", []byte("garbage")},
		{gatewayproto.Direct("mkos", "b", "echo"), "x.2", good[:len(good)-3]},
		{gatewayproto.Direct("mkos", "b", "echo"), "", nil},
		{gatewayproto.Subject("mkos", "echo"), "mkos.mkos.r.a.999", good},
		{gatewayproto.Inbox("mkos", "a") + ".1", "", forged},
		{gatewayproto.Inbox("mkos", "a") + ".77", "", []byte{'m', 1, 2, 255}},
	}
	for _, f := range frames {
		require.NoError(t, c.PublishRaw("b", f.subject, f.reply, f.data))
	}
	_, err := c.Run()
	require.NoError(t, err)
	assert.Equal(t, map[ipc.Errno]int{0: 5}, errnos(out), "the honest calls: %v", out)
}
