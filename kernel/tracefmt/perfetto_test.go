package tracefmt

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/internal/traceevent"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// crashRun records a micro system where a client calls echo three times
// and echo crashes on the second call and is restarted by hand.
func crashRun(t *testing.T) []kernel.Event {
	rec := &kernel.Recorder{}
	k, err := kernel.New(kernel.Config{Trace: rec, CPUs: 2})
	require.NoError(t, err)
	k.Declare("echo")
	calls := 0
	body := func(sys ipc.Sys) {
		ipc.Serve(sys, "echo", handlerFunc(func(req *ipc.Message) ipc.Message {
			calls++
			if calls == 2 {
				panic("echo crashes")
			}
			return ipc.Reply(req)
		}))
	}
	k.Spawn(ipc.TaskSpec{Name: "echo", Body: body})
	k.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
		id, _ := sys.Lookup("echo")
		var req, rep ipc.Message
		for range 3 {
			req.Type = 1
			if sys.Call(ipc.ServiceEndpoint(id), &req, &rep) != nil {
				sys.Spawn(ipc.TaskSpec{Name: "echo", Body: body})
			}
		}
	}})
	require.NoError(t, k.Run())
	return rec.Events
}

type handlerFunc func(req *ipc.Message) ipc.Message

func (h handlerFunc) Handle(_ *ipc.Ctx, req *ipc.Message) ipc.Message { return h(req) }

// The export is valid Trace Event Format, with the tracks, flows, instants
// and counters the layout promises.
func TestPerfettoFormat(t *testing.T) {
	for name, events := range map[string][]kernel.Event{"two calls": mustRecord(t), "a crash": crashRun(t)} {
		var buf bytes.Buffer
		require.NoError(t, WritePerfetto(&buf, events))
		assert.Empty(t, traceevent.Check(buf.Bytes()), "%s: traceevent.Check()", name)
	}
	var buf bytes.Buffer
	require.NoError(t, WritePerfetto(&buf, crashRun(t)))
	var doc struct {
		TraceEvents []struct {
			Name string         `json:"name"`
			Cat  string         `json:"cat"`
			Ph   string         `json:"ph"`
			Pid  int            `json:"pid"`
			Args map[string]any `json:"args"`
		} `json:"traceEvents"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	procs, threads, count := map[string]bool{}, map[string]bool{}, map[string]int{}
	for _, e := range doc.TraceEvents {
		switch {
		case e.Name == "process_name":
			procs[e.Args["name"].(string)] = true
		case e.Name == "thread_name":
			threads[e.Args["name"].(string)] = true
		}
		count[e.Ph+" "+e.Cat]++
		if e.Ph == "i" {
			count["instant "+e.Name]++
		}
	}
	for _, p := range []string{"cpu0", "svc echo"} {
		assert.True(t, procs[p], "a process %q (got %v)", p, procs)
	}
	for _, th := range []string{"client(2.1)", "echo(1.1)"} {
		assert.True(t, threads[th], "a thread track %q (got %v)", th, threads)
	}
	assert.Equal(t, 2, count["s ipc"], "a flow for each answered call")
	assert.Equal(t, 2, count["X serve"]-1, "a slice for each request served, and the one the crash ended")
	assert.Positive(t, count["C "], "run-queue counters")
	assert.Positive(t, count["instant death echo(1.1)"], "the crash is an instant")
	assert.Positive(t, count["instant fail client(2.1)"], "the failed call is an instant")
}

// mustRecord is record without its JSON lines.
func mustRecord(t *testing.T) []kernel.Event {
	events, _ := record(t)
	return events
}

// A trace of two machines shows each machine's processes apart, named
// after it, and is valid Trace Event Format.
func TestPerfettoHosts(t *testing.T) {
	one := mustRecord(t)
	var events []kernel.Event
	for _, e := range one {
		for h := 1; h <= 2; h++ {
			e.Host = h
			events = append(events, e)
		}
	}
	var buf bytes.Buffer
	require.NoError(t, WritePerfetto(&buf, events))
	assert.Empty(t, traceevent.Check(buf.Bytes()), "traceevent.Check()")
	var doc struct {
		TraceEvents []traceEvent `json:"traceEvents"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	names := map[int]string{}
	for _, te := range doc.TraceEvents {
		if te.Name == "process_name" {
			names[te.Pid] = te.Args["name"].(string)
		}
	}
	var single bytes.Buffer
	require.NoError(t, WritePerfetto(&single, one))
	var solo struct {
		TraceEvents []traceEvent `json:"traceEvents"`
	}
	require.NoError(t, json.Unmarshal(single.Bytes(), &solo))
	for _, te := range solo.TraceEvents {
		if te.Name != "process_name" {
			continue
		}
		for h := 1; h <= 2; h++ {
			want := "host" + string(rune('0'+h)) + " " + te.Args["name"].(string)
			if got := names[te.Pid+h*hostStride]; got != want {
				t.Errorf("process %d of host%d is named %q, want %q", te.Pid, h, got, want)
			}
		}
	}
	assert.Len(t, doc.TraceEvents, 2*len(solo.TraceEvents), "each machine's events, rendered as alone")
}
