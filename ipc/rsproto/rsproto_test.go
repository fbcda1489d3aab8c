package rsproto_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
)

func TestRecordsRoundTrip(t *testing.T) {
	sts := []rsproto.Status{
		{Name: "echo", Impl: "echo2", State: rsproto.Up, Want: 2, Instances: []ipc.Endpoint{ipc.TaskEndpoint(1, 2), ipc.TaskEndpoint(7, 1)},
			Restarts: 3, UptimeNs: 12345, Requests: 61, Errors: 1, Cause: "panic: echo: crash requested by 4.1"},
		{Name: "null", State: rsproto.Kernel},
	}
	var b []byte
	for _, st := range sts {
		b = rsproto.AppendStatus(b, st)
	}
	for _, want := range sts {
		got, rest, err := rsproto.ParseStatus(b)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		b = rest
	}
	assert.Empty(t, b)

	e := rsproto.LogEntry{TimeNs: 900, DiedNs: 800, Service: "fs", Old: ipc.TaskEndpoint(3, 1), New: ipc.TaskEndpoint(3, 2), Cause: strings.Repeat("x", 300)}
	got, rest, err := rsproto.ParseLogEntry(rsproto.AppendLogEntry(nil, e))
	require.NoError(t, err)
	assert.Empty(t, rest)
	e.Cause = e.Cause[:255]
	assert.Equal(t, e, got, "a long cause is cut at 255 bytes")
}

func TestShortRecordsAreRefused(t *testing.T) {
	b := rsproto.AppendLogEntry(nil, rsproto.LogEntry{Service: "fs", Cause: "killed"})
	for n := 0; n < len(b); n++ {
		_, _, err := rsproto.ParseLogEntry(b[:n])
		assert.ErrorIs(t, err, linux.EINVAL, "%d of %d bytes", n, len(b))
	}
	s := rsproto.AppendStatus(nil, rsproto.Status{Name: "fs", Instances: []ipc.Endpoint{1}})
	for n := 0; n < len(s); n++ {
		_, _, err := rsproto.ParseStatus(s[:n])
		assert.ErrorIs(t, err, linux.EINVAL, "%d of %d bytes", n, len(s))
	}
}

func TestNameRequests(t *testing.T) {
	for _, c := range []struct {
		name      string
		t         ipc.Type
		svc, impl string
		bad       bool
		wantImpl  string
	}{
		{name: "restart", t: rsproto.Restart, svc: "echo"},
		{name: "replace", t: rsproto.Replace, svc: "echo", impl: "echo2", wantImpl: "echo2"},
		{name: "empty", t: rsproto.Stop, svc: "", bad: true},
		{name: "too long", t: rsproto.Stop, svc: strings.Repeat("s", rsproto.MaxName+1), bad: true},
		{name: "nul", t: rsproto.Start, svc: "a\x00b", bad: true},
		{name: "replace without impl", t: rsproto.Replace, svc: "echo", bad: true},
	} {
		req, err := rsproto.NameRequest(c.t, c.svc, c.impl)
		if c.bad {
			assert.ErrorIs(t, err, linux.EINVAL, c.name)
			continue
		}
		require.NoError(t, err, c.name)
		svc, impl, err := rsproto.ParseName(&req)
		require.NoError(t, err, c.name)
		assert.Equal(t, c.svc, svc, c.name)
		assert.Equal(t, c.wantImpl, impl, c.name)
	}
	req, _ := rsproto.NameRequest(rsproto.Replace, "echo", "echo2")
	req.Type = rsproto.Restart
	_, _, err := rsproto.ParseName(&req)
	assert.ErrorIs(t, err, linux.EINVAL, "a Restart with an implementation")
}

func TestEveryRequestAndStateHasAName(t *testing.T) {
	for ty := rsproto.List; ty <= rsproto.LastRequest; ty++ {
		assert.NotEmpty(t, rsproto.Names[ty], "type %d", ty)
	}
	assert.Len(t, rsproto.Names, int(rsproto.LastRequest))
	for s := rsproto.Up; s <= rsproto.Kernel; s++ {
		assert.NotEqual(t, "?", s.String(), "state %d", s)
	}
}

// A ServiceStats record reads back as written; a short or padded one, or
// one claiming too many instances, is EINVAL.
func TestServiceStatsRoundTrip(t *testing.T) {
	m := ipc.BusMetrics{Requests: 10, Errors: 1, InFlight: 2, Queue: 1, NowNs: 5e9, WindowNs: 1e9, Arrived: 7, Done: 6, Failed: 1,
		P50Ns: 1024, P99Ns: 4096, MaxNs: 8192}
	st := rsproto.ServiceStats{Name: "echo", BusMetrics: m, Instances: []rsproto.InstanceStats{
		{Task: ipc.TaskEndpoint(4, 1), BusMetrics: m}, {Task: ipc.TaskEndpoint(9, 2)}}}
	b := rsproto.AppendServiceStats(nil, st)
	got, rest, err := rsproto.ParseServiceStats(b)
	require.NoError(t, err)
	assert.Empty(t, rest)
	assert.Equal(t, st, got)
	for n := 0; n < len(b); n++ {
		_, _, err := rsproto.ParseServiceStats(b[:n])
		assert.ErrorIs(t, err, linux.EINVAL, "%d of %d bytes", n, len(b))
	}
	many := rsproto.AppendServiceStats(nil, rsproto.ServiceStats{Name: "x"})
	many[len(many)-1] = rsproto.MaxInstances + 1
	_, _, err = rsproto.ParseServiceStats(many)
	assert.ErrorIs(t, err, linux.EINVAL, "more instances than MaxInstances")
}

func TestScaleRequests(t *testing.T) {
	for _, c := range []struct {
		name string
		svc  string
		n    int
		bad  bool
	}{
		{name: "two", svc: "echo", n: 2},
		{name: "max", svc: "echo", n: rsproto.MaxInstances},
		{name: "too many", svc: "echo", n: rsproto.MaxInstances + 1, bad: true},
		{name: "negative", svc: "echo", n: -1, bad: true},
		{name: "no name", svc: "", n: 1, bad: true},
	} {
		req, err := rsproto.ScaleRequest(c.svc, c.n)
		if c.bad {
			assert.ErrorIs(t, err, linux.EINVAL, c.name)
			continue
		}
		require.NoError(t, err, c.name)
		svc, n, err := rsproto.ParseScale(&req)
		require.NoError(t, err, c.name)
		assert.Equal(t, c.svc, svc, c.name)
		assert.Equal(t, c.n, n, c.name)
	}
	req, _ := rsproto.ScaleRequest("echo", 1)
	req.SetWord(4, 1<<40)
	_, _, err := rsproto.ParseScale(&req)
	assert.ErrorIs(t, err, linux.EINVAL, "a forged count")
}

func TestStatusWhere(t *testing.T) {
	for _, c := range []struct {
		name string
		st   rsproto.Status
		want string
	}{
		{"unknown", rsproto.Status{}, "-"},
		{"in the kernel", rsproto.Status{Placement: "kernel"}, "kernel"},
		{"a task", rsproto.Status{Placement: "user"}, "user"},
		{"a running host process", rsproto.Status{Placement: "process", HostPID: 4711}, "process:4711"},
		{"a host process not running", rsproto.Status{Placement: "process"}, "process"},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, c.st.Where())
		})
	}
}
